import { shellQuote } from './quote.js';

/** Exit codes of `timeout` when it stopped the command: TERM (124), then KILL (128 + 9). */
const STOPPED_BY_TIMEOUT = new Set([124, 137]);
/** Seconds between timeout's TERM and its KILL. */
const KILL_AFTER_S = 5;

/** Wraps a command so that the host itself stops it, and all it started, at the deadline.
 * (sshd refuses "signal" requests on root logins, so a deadline kept only on this side would
 * leave the command running.) Commands run under /bin/sh; hosts without `timeout` run them
 * without a remote deadline. */
export function withDeadline(command: string, timeoutMs: number): string {
  const seconds = (timeoutMs / 1000).toFixed(3);
  const quoted = shellQuote(command);
  return (
    `if command -v timeout >/dev/null 2>&1; then exec timeout -k ${KILL_AFTER_S} ${seconds} sh -c ${quoted}; ` +
    `else exec sh -c ${quoted}; fi`
  );
}

/** Whether a finished command was stopped at its deadline by the host. */
export function stoppedAtDeadline(code: number, elapsedMs: number, timeoutMs: number): boolean {
  return STOPPED_BY_TIMEOUT.has(code) && elapsedMs >= timeoutMs;
}

/** How long this side waits beyond the deadline for the host to stop the command. */
export const LOCAL_GRACE_MS = (KILL_AFTER_S + 5) * 1000;
