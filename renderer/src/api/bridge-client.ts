import type { OperationName, TopkeApi } from '../../../main/contract/operations.js';
import type { TopkeBridge } from '../../../main/electron/bridge.js';
import { ApiError, toApiError } from './api-error.js';
import type { TopkeClient } from './client.js';
import { operationNames } from './routes.js';

interface ErrorData {
  code: string;
  field?: string;
  message: string;
  messageCn?: string;
  details?: unknown;
}

function isErrorData(value: unknown): value is ErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

/** A rejection from the preload as an ApiError. The context bridge copies an Error with its
 * message only, so the preload rejects with the plain error data, which crosses intact. */
export function fromBridgeRejection(reason: unknown): ApiError {
  if (!isErrorData(reason)) return toApiError(reason);
  return new ApiError({
    code: reason.code,
    field: reason.field,
    message: reason.message,
    messageCn: reason.messageCn,
    details: reason.details,
  });
}

/** The desktop window's client: the preload's `window.topke`. */
export function createBridgeClient(bridge: TopkeBridge): TopkeClient {
  const calls = bridge.api as unknown as Record<
    OperationName,
    (input: unknown) => Promise<unknown>
  >;
  const api = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of operationNames()) {
    api[name] = async (input) => {
      try {
        return await calls[name](input);
      } catch (reason) {
        throw fromBridgeRejection(reason);
      }
    };
  }
  return {
    api: api as unknown as TopkeApi,
    onProgress: (listener) => bridge.onProgress(listener),
    pathForFile: (file) => bridge.pathForFile(file),
  };
}
