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

/** The first line the server sends, within the deadline; `null` if it sent nothing at all. */
function firstLine(
  socket: Socket,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | null> {
  return new Promise((resolve) => {
    let received = '';
    const timer = setTimeout(() => done(received === '' ? null : received), timeoutMs);
    const forget = whenAborted(signal, () => done(null));
    function done(line: string | null): void {
      clearTimeout(timer);
      forget();
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(line);
    }
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const eol = received.indexOf('\n');
      if (eol >= 0) done(received.slice(0, eol).replace(/\r$/, ''));
      else if (received.length >= MAX_BANNER_BYTES) done(received);
    });
    socket.once('end', () => done(received));
    socket.once('error', () => done(received));
    socket.write(CLIENT_IDENT);
  });
}

/** Classifies one port: refused, filtered (no answer), unreachable, open but silent (a tarpit),
 * open but not SSH, or SSH with its identification line. Never takes longer than 2 x timeoutMs;
 * aborted, it ends at once with a verdict that is not to be used. */
export async function probeSshPort(
  ip: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PortProbe> {
  const { outcome, socket } = await connectWithin(ip, port, timeoutMs, signal);
  if (outcome === 'error') return { port, state: 'unknown' };
  if (outcome === 'no_route') return { port, state: 'unreachable' };
  if (outcome !== 'open' || !socket) return { port, state: outcome };
  const line = await firstLine(socket, timeoutMs, signal);
  if (line === null) return { port, state: 'silent' };
  if (line.startsWith('SSH-')) return { port, state: 'open', banner: line.slice(0, 255) };
  return { port, state: 'not_ssh' };
}
