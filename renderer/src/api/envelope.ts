import type { Envelope } from '../../../main/contract/envelope.js';
import { ApiError } from './api-error.js';

function isEnvelope(value: unknown): value is Envelope<object> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { scode?: unknown }).scode === 'number'
  );
}

function failure(envelope: Envelope<object>): ApiError {
  return new ApiError({
    code: envelope.error?.code || envelope.desc || 'internal',
    field: envelope.error?.field,
    details: envelope.error?.details,
    message: envelope.message || `request failed (scode ${envelope.scode})`,
    messageCn: envelope.message_cn || `请求失败（scode ${envelope.scode}）`,
  });
}

/** The operation's result out of the spec's envelope (without its `Status`), or its failure as
 * an ApiError that keeps the code, field and both sentences. */
export function unwrapEnvelope(body: unknown, httpStatus: number): unknown {
  if (!isEnvelope(body)) {
    throw new ApiError({
      code: 'internal',
      message: `the service answered HTTP ${httpStatus} without the API envelope`,
      messageCn: `服务返回 HTTP ${httpStatus}，但不是 API 的标准响应`,
    });
  }
  if (body.scode !== 0) throw failure(body);
  if (body.data === null) return null;
  const result: Record<string, unknown> = { ...body.data };
  delete result.Status;
  return result;
}
