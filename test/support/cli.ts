// Runs the built `topke` command line as its own process, the way an engineer runs it.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// TOPKE_TEST_CLI runs another build of the same entry point (e.g. one made in a private folder).
const CLI = process.env.TOPKE_TEST_CLI ?? join(ROOT, 'bin', 'topke.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Throws unless `npm run build:main` has made the CLI the tests spawn. */
export function requireBuiltCli(): void {
  if (!existsSync(join(ROOT, 'dist', 'main', 'cli', 'topke.js')))
    throw new Error('the CLI is not built: run `npm run build:main` first');
}

/** Runs the CLI with `args` (and `env` added to this process's) and answers its exit code and
 * output; with `interruptWhen`, it sends `signal` (SIGINT unless given) once, as soon as stderr
 * matches, to the CLI's whole process group, as Ctrl-C in a terminal does. */
export function runTopke(
  args: string[],
  interruptWhen?: RegExp,
  env: Record<string, string> = {},
  signal: NodeJS.Signals = 'SIGINT',
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, standing for the terminal's foreground group.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let interrupt = interruptWhen;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (interrupt?.test(stderr)) {
        interrupt = undefined;
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // The group is gone: the CLI ended before it could be interrupted.
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The processes still running whose environment has `name=value`: what a CLI run given that
 * variable started (helpers inherit the environment) and left behind. */
export function processesWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(wanted);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}
