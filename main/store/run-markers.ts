import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Long work (a deploy, a scan) leaves a file naming the process that runs it, so that a second
 * process on the same data folder (the CLI beside the server) does not take it for abandoned. */
export interface RunMarkers {
  mark(id: string): void;
  clear(id: string): void;
  /** True when another live process runs `id`. */
  runningElsewhere(id: string): boolean;
  /** Removes the markers of work that is no longer open. */
  prune(openIds: string[]): void;
}

export function runMarkers(dataDir: string, kind: 'deploys' | 'scans'): RunMarkers {
  const dir = join(dataDir, 'run', kind);
  const file = (id: string) => join(dir, id);
  const markers: RunMarkers = {
    mark(id) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file(id), String(process.pid));
    },
    clear(id) {
      rmSync(file(id), { force: true });
    },
    runningElsewhere(id) {
      const pid = readPid(file(id));
      return pid !== null && pid !== process.pid && isAlive(pid);
    },
    prune(openIds) {
      for (const name of listDir(dir)) if (!openIds.includes(name)) markers.clear(name);
    },
  };
  return markers;
}

function readPid(path: string): number | null {
  try {
    return Number(readFileSync(path, 'utf8')) || null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
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
