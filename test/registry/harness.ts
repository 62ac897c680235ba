import { expect } from 'vitest';
import { TopkeError } from '../../main/contract/errors.js';

/** The TopkeError a call rejects with. */
export async function failure(call: Promise<unknown>): Promise<TopkeError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TopkeError);
  return err as TopkeError;
}

/** Has Chinese characters: the Chinese sentence is really there, not the English one twice. */
export const CHINESE = /[\u4e00-\u9fff]/;
