/** Expected failures travel as values of this class: a code, the field at fault, and a sentence
 * in English and in Chinese. Everything else that throws is a defect and is reported as such. */
export type ErrorCode =
  | 'invalid_field'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'not_implemented'
  | 'unauthorized'
  | 'vip_in_use'
  | 'ssh_failed'
  | 'host_key_changed'
  | 'bundle_invalid'
  | 'deploy_failed'
  | 'preflight_failed'
  | 'kubeconfig_invalid'
  | 'unreachable'
  | 'cancelled'
  | 'internal';

const SCODES: Record<ErrorCode, number> = {
  invalid_field: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  vip_in_use: 409,
  host_key_changed: 409,
  bundle_invalid: 422,
  kubeconfig_invalid: 422,
  preflight_failed: 422,
  cancelled: 499,
  internal: 500,
  not_implemented: 501,
  ssh_failed: 502,
  deploy_failed: 502,
  unreachable: 504,
};

export interface ErrorInit {
  code: ErrorCode;
  message: string;
  messageCn: string;
  field?: string;
  details?: unknown;
}

export class TopkeError extends Error {
  override readonly name = 'TopkeError';
  readonly code: ErrorCode;
  readonly messageCn: string;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(init: ErrorInit) {
    super(init.message);
    this.code = init.code;
    this.messageCn = init.messageCn;
    this.field = init.field;
    this.details = init.details;
  }

  get scode(): number {
    return SCODES[this.code];
  }
}

/** A bad value in a request: names the field and says what is wrong with it, in both languages. */
export function invalidField(field: string, message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'invalid_field',
    field,
    message: `${field}: ${message}`,
    messageCn: `${field}：${messageCn}`,
  });
}

export function notFound(what: string, whatCn: string, id: string, field = 'uuid'): TopkeError {
  return new TopkeError({
    code: 'not_found',
    field,
    message: `${what} ${id} was not found`,
    messageCn: `未找到${whatCn} ${id}`,
  });
}

export function notImplemented(operation: string): TopkeError {
  return new TopkeError({
    code: 'not_implemented',
    message: `${operation} is not implemented yet`,
    messageCn: `${operation} 功能尚未实现`,
  });
}

/** Turns anything thrown into a TopkeError; unknown errors become "internal" without leaking text. */
export function asTopkeError(err: unknown): TopkeError {
  if (err instanceof TopkeError) return err;
  return new TopkeError({
    code: 'internal',
    message: 'internal error; see the log for details',
    messageCn: '内部错误，详情请查看日志',
    details: err instanceof Error ? err.message : String(err),
  });
}
