/** `topke serve` as the engineer starts it: the built CLI, a data folder, a token; the URL it
 * prints when ready. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY = /ready at (http:\/\/127\.0\.0\.1:\d+\/)#token=(\S+)/;

export interface Server {
  /** The app's address with the token in the fragment, as printed. */
  url: string;
  /** The address without the token. */
  origin: string;
  /** What the server wrote to stderr, for a failure message. */
  stderr(): string;
  stop(): Promise<void>;
  /** Sends `signal` (as Ctrl-C or a service manager does) and answers how the server exited. */
  signal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }>;
}

/** The CLI and the renderer must have been built (npm run build:main, vite build). */
export function requireBuilt(): void {
  for (const file of ['dist/main/cli/topke.js', 'dist/renderer/index.html']) {
    if (!existsSync(join(ROOT, file)))
      throw new Error(`${file} is missing: run npm run build:main and npm run build:renderer`);
  }
}

function waitForReady(child: ChildProcess, log: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = READY.exec(out);
      if (match) resolve(match);
    });
    child.once('exit', (code) =>
      reject(new Error(`topke serve exited (${code}) before it was ready:\n${log()}`)),
    );
  });
}

function signalChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    // 'close': stderr has been read to its end too.
    child.once('close', (code, sig) => resolve({ code, signal: sig }));
    child.kill(signal);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs `topke serve` with these arguments and environment (added to this process's, where a
 * value of undefined removes the variable) until it prints its ready line. */
export async function startServe(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<Server> {
  const merged: NodeJS.ProcessEnv = { ...process.env, TOPKE_LOG_LEVEL: 'warn' };
  for (const [name, value] of Object.entries(env))
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'topke.js'), 'serve', ...args], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const match = await waitForReady(child, () => stderr);
  return {
    url: `${match[1]}#token=${match[2]}`,
    origin: match[1]!,
    stderr: () => stderr,
    stop: () => stopChild(child),
    signal: (signal) => signalChild(child, signal),
  };
}

/** Starts the server on a free port chosen by the system. */
export function startServer(dataDir: string, token: string): Promise<Server> {
  return startServe(['--port', '0', '--data-dir', dataDir], { TOPKE_API_TOKEN: token });
}
