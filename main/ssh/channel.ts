import { constants } from 'node:os';
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';
import { LOCAL_GRACE_MS, stoppedAtDeadline } from './deadline.js';
import { BoundedOutput } from './output.js';
import { PreambleFilter } from './preamble.js';

export interface ChannelRequest {
  command: string;
  /** A pseudo-terminal, for sudo with requiretty. Echo and output processing are off. */
  pty?: boolean;
  stdin?: string | Buffer;
  timeoutMs: number;
  /** Set when the command was wrapped by withDeadline: the host enforces the deadline, and this
   * side waits a grace period longer before giving up on the channel. */
  remoteDeadline?: boolean;
  maxBytes: number;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Output before this marker (on each stream; under a pty, on stdout) is dropped. */
  marker?: string;
}

export interface ChannelResult {
  code: number;
  stdout: BoundedOutput;
  stderr: BoundedOutput;
}

/** The channel could not be opened: the command never started, so running it again is safe. */
export class ChannelOpenError extends Error {}
/** The connection went away while the command ran: it may or may not have finished. */
export class ConnectionDroppedError extends Error {}
export class CommandTimeoutError extends Error {}

// Echo off so that a password written for sudo never comes back in the output; no CR/LF
// rewriting so that output reads the same as without a terminal.
const QUIET_PTY: PseudoTtyOptions = { term: 'dumb', modes: { ECHO: 0, ONLCR: 0, OPOST: 0 } };

/** Runs one command on one channel: output bounded and streamed, a deadline, stdin written.
 * Settles with the exit code (128 + signal number when killed by a signal). */
export function runChannel(client: Client, request: ChannelRequest): Promise<ChannelResult> {
  return new Promise((resolve, reject) => {
    const options = request.pty ? { pty: QUIET_PTY } : {};
    // Before the request goes out: the host's deadline starts later, when the command starts, so
    // a command the host stopped at its deadline has always run this long as seen from here.
    const started = Date.now();
    client.exec(request.command, options, (err, stream) => {
      if (err) return reject(new ChannelOpenError(err.message));
      watchChannel(stream, request, started, resolve, reject);
    });
  });
}

function watchChannel(
  stream: ClientChannel,
  request: ChannelRequest,
  started: number,
  resolve: (result: ChannelResult) => void,
  reject: (err: Error) => void,
): void {
  const forward = request.onOutput;
  const stdout = new BoundedOutput(request.maxBytes, forward && ((t) => forward(t, 'stdout')));
  const stderr = new BoundedOutput(request.maxBytes, forward && ((t) => forward(t, 'stderr')));
  let code: number | undefined;
  let timedOut = false;
  const localMs = request.timeoutMs + (request.remoteDeadline ? LOCAL_GRACE_MS : 0);
  const timer = setTimeout(() => {
    timedOut = true;
    stream.close();
    // The remote side may take its time to close; the caller need not wait for it.
    reject(new CommandTimeoutError(`no exit within ${localMs} ms`));
  }, localMs);

  const toStdout = preambleFilter(request.marker, (chunk) => stdout.push(chunk));
  const toStderr = preambleFilter(request.pty ? undefined : request.marker, (chunk) =>
    stderr.push(chunk),
  );
  stream.on('data', (chunk: Buffer) => toStdout.push(chunk));
  stream.stderr.on('data', (chunk: Buffer) => toStderr.push(chunk));
  stream.on('exit', (exitCode: number | null, signal?: string) => {
    code = exitCode ?? 128 + signalNumber(signal);
  });
  stream.on('close', () => {
    clearTimeout(timer);
    toStdout.end();
    toStderr.end();
    stdout.end();
    stderr.end();
    if (timedOut) return;
    if (
      request.remoteDeadline &&
      stoppedAtDeadline(code ?? -1, Date.now() - started, request.timeoutMs)
    ) {
      return reject(new CommandTimeoutError(`stopped by the host after ${request.timeoutMs} ms`));
    }
    if (code === undefined)
      return reject(new ConnectionDroppedError('channel closed without an exit status'));
    resolve({ code, stdout, stderr });
  });
  stream.end(request.stdin);
}

function preambleFilter(
  marker: string | undefined,
  next: (chunk: Buffer) => void,
): { push(chunk: Buffer): void; end(): void } {
  if (!marker) return { push: next, end: () => undefined };
  return new PreambleFilter(Buffer.from(marker), next);
}

function signalNumber(name: string | undefined): number {
  const key = `SIG${name ?? 'KILL'}` as keyof typeof constants.signals;
  return constants.signals[key] ?? 9;
}
