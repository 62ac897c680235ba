import { toApiError, type ApiError } from './api-error.js';

/** A call's result or its failure, for callers that show each failure next to its own item. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
