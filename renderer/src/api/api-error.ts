/** An expected failure as the renderer sees it: the service's code, the field at fault, and the
 * sentence in English and Chinese. Both clients (bridge and HTTP) throw only this. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly field: string | undefined;
  readonly messageCn: string;
  /** What a client needs to act on some failures (a changed host key: host, port, fingerprints). */
  readonly details: unknown;

  constructor(init: {
    code: string;
    message: string;
    messageCn?: string;
    field?: string;
    details?: unknown;
  }) {
    super(init.message);
    this.code = init.code;
    this.field = init.field || undefined;
    this.messageCn = init.messageCn || init.message;
    this.details = init.details;
  }
}

/** The sentence for the engineer's language. */
export function errorText(err: ApiError, locale: string): string {
  return locale.startsWith('zh') ? err.messageCn : err.message;
}

/** A failure with no answer from the service at all (network down, server stopped). */
export function unreachableError(detail: string): ApiError {
  return new ApiError({
    code: 'network',
    message: `the TopKE service cannot be reached (${detail})`,
    messageCn: `无法连接 TopKE 服务（${detail}）`,
  });
}

/** Anything thrown, as an ApiError; foreign errors keep only their message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError({
    code: 'internal',
    message,
    messageCn: message,
  });
}
