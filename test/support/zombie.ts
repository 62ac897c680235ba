import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process that another one (not this test) started and never reaps: `parent` is a shell that
 * became `sleep`, and `pid` its child, which `kill()` turns into a zombie. */
export interface Orphanable {
  pid: number;
  kill(): Promise<void>;
  /** Ends the parent, and with it the zombie. */
  end(): void;
}

const state = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
};

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}

export async function unreapedChild(): Promise<Orphanable> {
  const parent: ChildProcess = spawn('sh', ['-c', 'sleep 600 & echo $!; exec sleep 600'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = await new Promise<number>((resolve) =>
    parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
  );
  return {
    pid,
    kill: async () => {
      process.kill(pid, 'SIGKILL');
      await until(() => state(pid) === 'Z');
    },
    end: () => void parent.kill('SIGKILL'),
  };
}
