import { TopkeError } from './errors.js';

/** The spec's inner status object, present in every successful `data`. */
export interface Status {
  code: number;
  message: string;
  messageCn: string;
  stack: null;
  desc: string;
  UUID: string;
}

/** The spec's envelope around every answer. */
export interface Envelope<T> {
  scode: number;
  desc: string;
  message: string;
  message_cn: string;
  stack: null;
  data: (T & { Status: Status }) | null;
  /** Not in the spec: the machine-readable kind of failure and the field at fault. */
  error?: { code: string; field?: string };
}

export const OK_STATUS: Status = {
  code: 0,
  message: '',
  messageCn: '',
  stack: null,
  desc: '',
  UUID: '',
};

/** Wraps a result; `null` stays `null` as in the spec's VIP test answer. */
export function okEnvelope<T extends object>(result: T | null): Envelope<T> {
  return {
    scode: 0,
    desc: '',
    message: '',
    message_cn: '',
    stack: null,
    data: result === null ? null : { Status: { ...OK_STATUS }, ...result },
  };
}

export function errorEnvelope(err: TopkeError): Envelope<never> {
  const error: { code: string; field?: string } = { code: err.code };
  if (err.field) error.field = err.field;
  return {
    scode: err.scode,
    desc: err.code,
    message: err.message,
    message_cn: err.messageCn,
    stack: null,
    data: null,
    error,
  };
}
