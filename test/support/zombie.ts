import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process that another one (not this test) started and never reaps: its parent is a shell
 * that has become `sleep` (which waits for no child), and `kill()` turns it into a zombie. */
export interface Orphanable {
  pid: number;
  kill(): Promise<void>;
  /** Ends the parent, and with it the zombie. */
  end(): void;
}

function stat(pid: number): { state: string; comm: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    return { state: text.slice(text.lastIndexOf(')') + 2).split(' ')[0]!, comm };
  } catch {
    return undefined;
  }
}

/** Waits until `done`, or fails saying what it waited for (never hangs the suite). */
async function until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function unreapedChild(): Promise<Orphanable> {
  const parent = spawn('sh', ['-c', 'sleep 600 & echo $!; exec sleep 600'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = await new Promise<number>((resolve) =>
    parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
  );
  // Until the shell has become sleep, the shell itself might reap its child when it ends.
  await until(() => stat(parent.pid!)?.comm === 'sleep', `the shell ${parent.pid} became sleep`);
  return {
    pid,
    kill: async () => {
      process.kill(pid, 'SIGKILL');
      await until(() => stat(pid)?.state === 'Z', `${pid} became a zombie`);
    },
    end: () => void parent.kill('SIGKILL'),
  };
}
