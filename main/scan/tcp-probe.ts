import { Socket } from 'node:net';

/** How a TCP connection attempt ended. */
export type ConnectOutcome = 'open' | 'refused' | 'filtered' | 'unreachable' | 'no_route' | 'error';

/** What listens on a port that should be SSH. */
export type PortState =
  'open' | 'refused' | 'filtered' | 'unreachable' | 'not_ssh' | 'silent' | 'unknown';

export interface PortProbe {
  port: number;
  state: PortState;
  /** The server's SSH identification line, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2". */
  banner?: string;
}

/** Our identification line: sending it first makes a server that waits for the client (HTTP,
 * say) answer something, while a tarpit stays silent. RFC 4253 lets both sides send first. */
const CLIENT_IDENT = 'SSH-2.0-TopKE_scan\r\n';
const MAX_BANNER_BYTES = 1024;

function outcomeOf(err: NodeJS.ErrnoException): ConnectOutcome {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return 'unreachable';
    case 'ENETUNREACH':
      return 'no_route';
    case 'ETIMEDOUT':
      return 'filtered';
    default:
      return 'error';
  }
}

/** Calls `stop` once when `signal` aborts (at once if it has); answers the way to stop listening. */
function whenAborted(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    queueMicrotask(stop);
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/** Connects with a deadline; resolves with the outcome and, when open, the connected socket.
 * Aborted (a cancelled scan), the attempt ends at once as an 'error' that nobody reads. */
export function connectWithin(
  ip: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ outcome: ConnectOutcome; socket?: Socket }> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const timer = setTimeout(() => finish('filtered'), timeoutMs);
    const forget = whenAborted(signal, () => finish('error'));
    function finish(outcome: ConnectOutcome): void {
      clearTimeout(timer);
      forget();
      socket.removeAllListeners('connect');
      if (outcome === 'open') return resolve({ outcome, socket });
      socket.destroy();
      resolve({ outcome });
    }
    socket.once('connect', () => finish('open'));
    socket.once('error', (err) => finish(outcomeOf(err)));
    socket.connect({ host: ip, port });
  });
}

export interface PortProbeOptions {
  /** Hand back an SSH connection the probe left unused, for the login. */
  keep?: boolean;
  /** Ends the probe at once (a cancelled scan). */
  signal?: AbortSignal | undefined;
}

/** What the server sent first, and the connection itself when it can still carry a login. */
interface FirstLine {
  /** `null` if the server sent nothing at all. */
  line: string | null;
  /** Still open, nothing written to it, paused before the server's identification line. */
  socket?: Socket;
}

/** The first line the server sends, within the deadline. An SSH server speaks first; a server
 * that waits for its client (HTTP, say) is made to answer by our identification line, sent only
 * halfway to the deadline so that an SSH connection stays unused by the probe. With `keep`, such
 * a connection is handed back, its bytes unread, so that the login does not open another. */
function firstLine(
  socket: Socket,
  timeoutMs: number,
  { keep = false, signal }: PortProbeOptions,
): Promise<FirstLine> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let spoke = false;
    const received = () => Buffer.concat(chunks).toString('latin1');
    const speak = setTimeout(() => {
      spoke = true;
      socket.write(CLIENT_IDENT);
    }, timeoutMs / 2);
    const timer = setTimeout(() => done(chunks.length === 0 ? null : received()), timeoutMs);
    const onEnd = () => done(received());
    const forget = whenAborted(signal, () => done(null));
    /** `whole`: the line ended with its newline, as an SSH identification line must. */
    function done(line: string | null, whole = false): void {
      clearTimeout(timer);
      clearTimeout(speak);
      forget();
      socket.off('data', onData).off('end', onEnd).off('error', onEnd);
      if (!keep || spoke || !whole || !line?.startsWith('SSH-') || signal?.aborted) {
        socket.destroy();
        return resolve({ line });
      }
      socket.pause();
      socket.unshift(Buffer.concat(chunks));
      // Until the login takes the connection over, an error on it must not go unhandled.
      socket.on('error', () => undefined);
      resolve({ line, socket });
    }
    function onData(chunk: Buffer): void {
      chunks.push(chunk);
      const text = received();
      const eol = text.indexOf('\n');
      if (eol >= 0) done(text.slice(0, eol).replace(/\r$/, ''), true);
      else if (text.length >= MAX_BANNER_BYTES) done(text);
    }
    socket.on('data', onData).once('end', onEnd).once('error', onEnd);
  });
}

/** Classifies one port: refused, filtered (no answer), unreachable, open but silent (a tarpit),
 * open but not SSH, or SSH with its identification line. Never takes longer than 2 x timeoutMs;
 * aborted, it ends at once with a verdict that is not to be used. With `keep`, an SSH port comes
 * with its connection where the probe left it unused: the caller must hand it to a login or
 * destroy it. */
export async function probeSshPort(
  ip: string,
  port: number,
  timeoutMs: number,
  options: PortProbeOptions = {},
): Promise<PortProbe & { socket?: Socket }> {
  const { outcome, socket } = await connectWithin(ip, port, timeoutMs, options.signal);
  if (outcome === 'error') return { port, state: 'unknown' };
  if (outcome === 'no_route') return { port, state: 'unreachable' };
  if (outcome !== 'open' || !socket) return { port, state: outcome };
  const first = await firstLine(socket, timeoutMs, options);
  if (first.line === null) return { port, state: 'silent' };
  if (!first.line.startsWith('SSH-')) return { port, state: 'not_ssh' };
  const open: PortProbe & { socket?: Socket } = {
    port,
    state: 'open',
    banner: first.line.slice(0, 255),
  };
  if (first.socket) open.socket = first.socket;
  return open;
}
