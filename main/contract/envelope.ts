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
  /** Not in the spec: the machine-readable kind of failure and the field at fault; for some kinds
   * also what a client needs to act on it (see publicDetails). */
  error?: { code: string; field?: string; details?: unknown };
}

/** Error kinds whose details are made for clients (they never hold a secret): a changed host key
 * carries the host, port and both fingerprints, so that the engineer can be offered "accept"; a
 * deploy that failed (the command line's), its cluster's uuid and deploy_id. */
const PUBLIC_DETAILS: ReadonlySet<string> = new Set(['host_key_changed', 'deploy_failed']);

/** The details of an error that a client may see, when its kind has such details. */
export function publicDetails(err: TopkeError): unknown {
  return PUBLIC_DETAILS.has(err.code) ? err.details : undefined;
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
  const error: { code: string; field?: string; details?: unknown } = { code: err.code };
  if (err.field) error.field = err.field;
  const details = publicDetails(err);
  if (details !== undefined) error.details = details;
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
