// Runs the built `topke` command line as its own process, the way an engineer runs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
 * matches. */
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
    });
    let stdout = '';
    let stderr = '';
    let interrupt = interruptWhen;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (interrupt?.test(stderr)) {
        interrupt = undefined;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
