import type { Socket } from 'node:net';
import type { HostInfo } from '../contract/results.js';
import { pingAlive } from './icmp.js';
import { absentOnLink } from './neighbours.js';
import { probeSshPort, type PortProbe } from './tcp-probe.js';

/** What a login adds to a host that speaks SSH. */
export interface LoginReport {
  login: NonNullable<HostInfo['login']>;
  hostName?: string;
  cores?: number;
  memoryBytes?: number;
  version?: string;
  facts?: HostInfo['facts'];
}

/** Logs in to an SSH port; `socket`, when given, is the probe's unused connection to it. */
export type LoginFn = (ip: string, port: number, socket?: Socket) => Promise<LoginReport>;

export interface ProbeOptions {
  sshPorts: number[];
  /** Called right after the probe's first packets went out: false when the kernel could not send
   * them (an on-link address it held no neighbour entry for: its table was full). Left out, every
   * silent address counts as absent. */
  sent?: ((ip: string) => Promise<boolean>) | undefined;
  timeoutMs: number;
  login?: LoginFn | undefined;
  /** How to send the ICMP probe (default: the ping package from this process). */
  ping?: ((ip: string, timeoutMs: number) => Promise<boolean>) | undefined;
  /** Aborted when the scan is cancelled: probes in flight end, no new ping or login starts. */
  signal?: AbortSignal | undefined;
}

/** States that prove a machine owns the address, even without an ICMP reply. */
const ANSWERED: ReadonlySet<PortProbe['state']> = new Set(['open', 'refused', 'not_ssh', 'silent']);

function chosenPort<P extends PortProbe>(ports: P[]): P {
  return (
    ports.find((p) => p.state === 'open') ?? ports.find((p) => ANSWERED.has(p.state)) ?? ports[0]!
  );
}

function baseInfo(ip: string, alive: boolean, port: PortProbe): HostInfo {
  const ssh: HostInfo['ssh'] = { port: port.port, state: port.state };
  if (port.banner) ssh.banner = port.banner;
  return {
    ip,
    host_name: '',
    version: '',
    host_info: { CpuInfo: { Cores: 0 }, VirtualMemoryInfo: { Total: 0 } },
    alive,
    ssh,
  };
}

function withLogin(info: HostInfo, report: LoginReport): HostInfo {
  return {
    ...info,
    host_name: report.hostName ?? info.host_name,
    version: report.version ?? info.version,
    host_info: {
      CpuInfo: { Cores: report.cores ?? 0 },
      VirtualMemoryInfo: { Total: report.memoryBytes ?? 0 },
    },
    login: report.login,
    ...(report.facts ? { facts: report.facts } : {}),
  };
}

/** Whether to send the ICMP probe: always to an address where a port answered (to report it),
 * never to one the link layer shows empty (EHOSTUNREACH, or an unanswered ARP request): sparing
 * those probes is what makes a mostly empty range fast. */
async function needsPing(ip: string, ports: PortProbe[]): Promise<boolean> {
  if (ports.some((p) => ANSWERED.has(p.state))) return true;
  if (ports.every((p) => p.state === 'unreachable')) return false;
  return !(await absentOnLink(ip));
}

async function pingIfUseful(
  ip: string,
  ports: PortProbe[],
  options: ProbeOptions,
): Promise<boolean> {
  const ping = options.ping ?? pingAlive;
  return (await needsPing(ip, ports)) ? ping(ip, options.timeoutMs) : false;
}

/** What probing one address tells: a host, nobody there, or nothing at all, because the kernel
 * could not send the probe's packets (its neighbour table was full). */
export type ProbeOutcome = HostInfo | 'absent' | 'unprobed';

type PortResult = PortProbe & { socket?: Socket };

interface PortsProbed {
  /** Each port's verdict; null when the kernel dropped the packets (then nothing is known). */
  ports: PortResult[] | null;
  /** Whether the kernel sent the probe's packets. */
  sent: Promise<boolean>;
}

/** Every SSH port at once. As soon as it is known that the kernel dropped the packets, the ports'
 * attempts end: nothing can answer them. */
async function probePorts(ip: string, options: ProbeOptions): Promise<PortsProbed> {
  const probing = new AbortController();
  const stop = (): void => probing.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const keep = options.login !== undefined;
  const all = Promise.all(
    options.sshPorts.map((port) =>
      probeSshPort(ip, port, options.timeoutMs, { keep, signal: probing.signal }),
    ),
  );
  // Asked once the connects are issued, so that it sees the entries their first packets made.
  const sent = options.sent?.(ip) ?? Promise.resolve(true);
  try {
    const first = await Promise.race([all, sent.then((ok) => (ok ? all : null))]);
    if (first) return { ports: first, sent };
    probing.abort();
    for (const p of await all) p.socket?.destroy();
    return { ports: null, sent };
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

/** Probes one address: every SSH port at once, then ICMP where it can tell something and, at the
 * same time, a login where SSH answered. Silence means absent only where the kernel sent the
 * packets. Bounded by about three timeouts, or two and the login. */
export async function probeAddress(ip: string, options: ProbeOptions): Promise<ProbeOutcome> {
  const { ports, sent } = await probePorts(ip, options);
  if (!ports) return 'unprobed';
  if (options.signal?.aborted) {
    for (const p of ports) p.socket?.destroy();
    return 'absent';
  }
  const port = chosenPort(ports);
  // Only the chosen port's connection carries the login.
  for (const p of ports) if (p !== port) p.socket?.destroy();
  const login =
    options.login && port.state === 'open' ? options.login(ip, port.port, port.socket) : null;
  const alive = await pingIfUseful(ip, ports, options);
  if (!alive && !ports.some((p) => ANSWERED.has(p.state))) {
    return (await sent) ? 'absent' : 'unprobed';
  }
  const info = baseInfo(ip, alive, port);
  return login ? withLogin(info, await login) : info;
}
