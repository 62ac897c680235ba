import { spawn, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type https from 'node:https';
import type { User } from '@kubernetes/client-node/dist/config_types.js';
import { ExecAuth } from '@kubernetes/client-node/dist/exec_auth.js';
import { TopkeError } from '../contract/errors.js';

const PLUGIN_TIMEOUT_MS = 30_000;

/** Where credential plugins (aws, gcloud's gke-gcloud-auth-plugin, kubelogin, ...) are usually
 * installed. A desktop launcher starts the app with a bare PATH that misses most of them. */
export function pluginSearchPath(): string[] {
  const home = homedir();
  const usual = [
    '/usr/local/bin',
    '/usr/bin',
    '/bin',
    '/usr/local/sbin',
    '/usr/sbin',
    '/sbin',
    '/opt/homebrew/bin',
    '/opt/homebrew/sbin',
    '/opt/local/bin',
    '/snap/bin',
    '/home/linuxbrew/.linuxbrew/bin',
    '/nix/var/nix/profiles/default/bin',
    '/usr/local/google-cloud-sdk/bin',
    join(home, '.local', 'bin'),
    join(home, 'bin'),
    join(home, 'go', 'bin'),
    join(home, '.krew', 'bin'),
    join(home, '.rd', 'bin'),
    join(home, '.asdf', 'shims'),
    join(home, '.nix-profile', 'bin'),
    join(home, 'google-cloud-sdk', 'bin'),
  ];
  const given = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...new Set([...given, ...usual])];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The plugin's absolute path: as given when absolute, else the first match on the search path. */
export function findPlugin(command: string, dirs: string[]): string | null {
  if (isAbsolute(command)) return isExecutable(command) ? command : null;
  for (const dir of dirs) if (isExecutable(join(dir, command))) return join(dir, command);
  return null;
}

interface ExecConfig {
  command: string;
  apiVersion?: string;
  installHint?: string;
}

function pluginError(field: string, message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field,
    message: `${field}: ${message}`,
    messageCn: `${field}：${messageCn}`,
  });
}

function notFound(exec: ExecConfig, dirs: string[], field: string): TopkeError {
  const hint = exec.installHint ? ` ${exec.installHint.trim()}` : '';
  return pluginError(
    field,
    `the credential plugin "${exec.command}" was not found (searched ${dirs.join(delimiter)}).${hint}`,
    `未找到凭据插件 “${exec.command}”（已搜索 ${dirs.join(delimiter)}）。${hint}`,
  );
}

/** How the plugin's run ended, as seen by the spawner: the library only reports its stderr. */
interface RunFacts {
  timedOut: boolean;
  status: number | null;
  signal: string | null;
}

/** Stops the plugin and whatever it started (it runs in its own process group): a shell script
 * that leaves a child holding its output would otherwise keep the import waiting. */
function stop(pid: number | undefined): void {
  try {
    if (pid) process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** The library runs the plugin through its `execFn`; this one runs the resolved binary with the
 * widened PATH, no stdin (a prompt would hang the import), kubectl's KUBERNETES_EXEC_INFO, and a
 * time limit. */
function pluginSpawner(binary: string, exec: ExecConfig, dirs: string[], facts: RunFacts) {
  const info = JSON.stringify({
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false },
  });
  return ((_command: string, args: readonly string[], options: SpawnOptions = {}) => {
    const child = spawn(binary, args ?? [], {
      env: {
        ...(options.env ?? process.env),
        PATH: dirs.join(delimiter),
        KUBERNETES_EXEC_INFO: info,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timer = setTimeout(() => {
      facts.timedOut = true;
      stop(child.pid);
    }, PLUGIN_TIMEOUT_MS);
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      Object.assign(facts, { status, signal });
    });
    return child;
  }) as unknown as typeof spawn;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Why the plugin gave no credential, in both languages. A parse error quotes the output, which
 * may be a bare token: it is never repeated. What the plugin wrote on stderr is its own words. */
function failureReason(err: unknown, facts: RunFacts): [string, string] {
  const seconds = PLUGIN_TIMEOUT_MS / 1000;
  if (facts.timedOut)
    return [
      `did not finish within ${seconds} s and was stopped`,
      `${seconds} 秒内未完成，已被终止`,
    ];
  if (err instanceof SyntaxError || err instanceof TypeError)
    return ['its output is not ExecCredential JSON', '其输出不是 ExecCredential JSON'];
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return [`could not be started (${code})`, `无法启动（${code}）`];
  if (facts.signal) return [`was stopped by ${facts.signal}`, `被信号 ${facts.signal} 终止`];
  const said = firstLine(err instanceof Error ? err.message : String(err));
  const status = facts.status ?? '?';
  if (said) return [said, `退出状态 ${status}，错误输出为：${said}`];
  return [
    `exited with status ${status} and printed no error`,
    `退出状态 ${status}，且没有输出错误信息`,
  ];
}

/** Runs a user's exec credential plugin and answers the user with the credential it printed
 * (token, or client certificate and key) in place of the plugin. The caller has made sure the
 * engineer allowed this plugin (exec-consent.ts). */
export async function resolveExecCredential(user: User, field: string): Promise<User> {
  const exec = user.exec as ExecConfig;
  const dirs = pluginSearchPath();
  const binary = findPlugin(exec.command, dirs);
  if (!binary) throw notFound(exec, dirs, `${field}.user.exec.command`);
  const auth = new ExecAuth();
  const facts: RunFacts = { timedOut: false, status: null, signal: null };
  // execFn is the library's own seam for running the plugin.
  (auth as unknown as { execFn: typeof spawn }).execFn = pluginSpawner(binary, exec, dirs, facts);
  const opts: https.RequestOptions = {};
  try {
    await auth.applyAuthentication(user, opts);
  } catch (err) {
    const [why, whyCn] = failureReason(err, facts);
    throw pluginError(
      `${field}.user.exec`,
      `the credential plugin "${exec.command}" failed: ${why}`,
      `凭据插件 “${exec.command}” 执行失败：${whyCn}`,
    );
  }
  return credentialUser(user, opts, exec, `${field}.user.exec`);
}

function credentialUser(
  user: User,
  opts: https.RequestOptions,
  exec: ExecConfig,
  field: string,
): User {
  const bearer = String((opts.headers as Record<string, unknown> | undefined)?.Authorization ?? '');
  const token = bearer.startsWith('Bearer ') ? bearer.slice(7) : undefined;
  const certData = opts.cert ? Buffer.from(String(opts.cert)).toString('base64') : undefined;
  const keyData = opts.key ? Buffer.from(String(opts.key)).toString('base64') : undefined;
  if (!token && !certData)
    throw pluginError(
      field,
      `the credential plugin "${exec.command}" printed no token and no client certificate`,
      `凭据插件 “${exec.command}” 未输出令牌或客户端证书`,
    );
  return {
    name: user.name,
    token,
    certData,
    keyData,
    username: user.username,
    password: user.password,
  };
}
