import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStart } from './process-identity.js';

/** Long work (a deploy, a scan) leaves a file naming the process that runs it, so that a second
 * process on the same data folder (the CLI beside the server) does not take it for abandoned. */
export interface RunMarkers {
  mark(id: string): void;
  clear(id: string): void;
  /** Who runs `id`: this process, another live one, or nobody (no marker, or its process is
   * gone: ended, a zombie, or its pid now belongs to another process). */
  holder(id: string): 'self' | 'other' | 'none';
  /** True when another live process runs `id`. */
  runningElsewhere(id: string): boolean;
  /** Removes the markers of work that is no longer open. */
  prune(openIds: string[]): void;
}

/** What a marker holds: the pid, and where the system tells it, when that process started. A
 * marker of an earlier version holds the pid alone. */
interface Holder {
  pid: number;
  start?: string;
}

export function runMarkers(dataDir: string, kind: 'deploys' | 'scans'): RunMarkers {
  const dir = join(dataDir, 'run', kind);
  const file = (id: string) => join(dir, id);
  const markers: RunMarkers = {
    mark(id) {
      mkdirSync(dir, { recursive: true });
      const me: Holder = { pid: process.pid, start: processStart(process.pid) };
      writeFileSync(file(id), JSON.stringify(me));
    },
    clear(id) {
      rmSync(file(id), { force: true });
    },
    holder(id) {
      const holder = readHolder(file(id));
      if (!holder || !isAlive(holder)) return 'none';
      return holder.pid === process.pid ? 'self' : 'other';
    },
    runningElsewhere(id) {
      return markers.holder(id) === 'other';
    },
    prune(openIds) {
      for (const name of listDir(dir)) if (!openIds.includes(name)) markers.clear(name);
    },
  };
  return markers;
}

function readHolder(path: string): Holder | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (!Number.isSafeInteger(parsed.pid) || (parsed.pid as number) <= 0) return null;
    return { pid: parsed.pid as number, start: parsed.start };
  } catch {
    return null;
  }
}

/** The marker's process is still the one that wrote it. Where the system tells a process's start
 * (Linux), a pid that is a zombie or started at another time is not it; elsewhere a live pid is. */
function isAlive(holder: Holder): boolean {
  const start = processStart(holder.pid);
  if (start !== undefined) return holder.start === undefined || holder.start === start;
  if (processStart(process.pid) !== undefined) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
