import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { pingSeconds } from './icmp.js';

/** The helper's program: it runs the ping package for each line it reads and writes back the
 * package's `alive`. Forking the system ping costs time in proportion to the forking process's
 * memory, so a small helper forks it far faster than the product's main process (and leaves the
 * main event loop free to time the TCP probes). */
const HELPER = `
const ping = require(process.env.TOPKE_PING_MODULE);
const lines = require('node:readline').createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, ip, seconds } = JSON.parse(line);
  ping.promise
    .probe(ip, { numeric: true, min_reply: 1, extra: ['-W', seconds] })
    .then((reply) => reply.alive, () => false)
    .then((alive) => process.stdout.write(JSON.stringify({ id, alive }) + '\\n'));
});
`;

/** Windows has no process groups to signal: there a helper is ended alone, and the pings it
 * started end at their own timeout. */
const GROUPS = process.platform !== 'win32';

/** Ends a helper and, where there are process groups, every ping it is waiting for. */
function endHelper(child: ChildProcessWithoutNullStreams): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (GROUPS) process.kill(-child.pid, 'SIGTERM');
    else child.kill();
  } catch {
    // Gone meanwhile.
  }
}

export interface PingPool {
  alive(ip: string, timeoutMs: number): Promise<boolean>;
  /** Ends the helpers now: the probes still waiting answer `false`, as from a dead helper. */
  close(): void;
}

function startHelper(
  onAnswer: (id: number, alive: boolean) => void,
): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['-e', HELPER], {
    // Its own process group, so that close() ends the helper and the pings it runs together,
    // and a Ctrl-C in the terminal reaches the product, which decides, rather than the helpers.
    detached: GROUPS,
    env: {
      ...process.env,
      TOPKE_PING_MODULE: createRequire(import.meta.url).resolve('ping'),
      // In Electron, execPath is the app: this makes it behave as plain Node.
      ELECTRON_RUN_AS_NODE: '1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const { id, alive } = JSON.parse(line) as { id: number; alive: boolean };
    onAnswer(id, alive);
  });
  child.stderr.resume();
  return child;
}

/** ICMP probes through a few helper processes, round robin. A helper that dies answers its
 * pending probes with `false` (no reply seen). */
export function createPingPool(size = Math.min(4, Math.max(1, availableParallelism()))): PingPool {
  const pending = new Map<number, { resolve: (alive: boolean) => void; helper: number }>();
  let nextId = 0;
  const answer = (id: number, alive: boolean) => {
    pending.get(id)?.resolve(alive);
    pending.delete(id);
  };
  let closed = false;
  const helpers = Array.from({ length: size }, (_, index) => {
    const child = startHelper(answer);
    child.once('exit', () => {
      for (const [id, p] of pending) if (p.helper === index) answer(id, false);
    });
    child.stdin.on('error', () => undefined);
    return child;
  });
  return {
    alive(ip, timeoutMs) {
      const id = nextId++;
      const helper = id % helpers.length;
      return new Promise((resolve) => {
        pending.set(id, { resolve, helper });
        const child = helpers[helper]!;
        if (closed || child.exitCode !== null || !child.stdin.writable) return answer(id, false);
        child.stdin.write(`${JSON.stringify({ id, ip, seconds: pingSeconds(timeoutMs) })}\n`);
      });
    },
    close() {
      closed = true;
      for (const child of helpers) endHelper(child);
    },
  };
}
