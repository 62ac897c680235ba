import { createHash } from 'node:crypto';
import type { ExecPluginView, Notice } from '../contract/results.js';
import { TopkeError } from '../contract/errors.js';
import type { ContextEntry } from './context-entry.js';
import { findPlugin, pluginSearchPath } from './exec-plugin.js';
import { entryField } from './problem.js';

/** A user's exec credential plugin as it would run: the command (made absolute when the
 * kubeconfig gave it relative to its own folder), its arguments and its environment. */
export interface ExecPlugin {
  apiVersion: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
}

/** Names whose values are likely secrets (AWS_SECRET_ACCESS_KEY, --oidc-client-secret, ...):
 * they are shown by name only. The fingerprint still covers the value. */
const SECRET_NAME = /secret|token|pass|key|cred|auth|session|private/i;

type Body = Record<string, unknown>;

/** The plugin of a checked `exec` mapping, or null when it is too broken to run. */
export function execPluginOf(exec: unknown): ExecPlugin | null {
  const body = exec as Body | null;
  if (!body || typeof body !== 'object' || typeof body.command !== 'string') return null;
  const args = Array.isArray(body.args) ? body.args.map(String) : [];
  const env = (Array.isArray(body.env) ? body.env : []).map((e) => ({
    name: String((e as Body | null)?.name ?? ''),
    value: String((e as Body | null)?.value ?? ''),
  }));
  return { apiVersion: String(body.apiVersion ?? ''), command: body.command, args, env };
}

/** "SHA256:" and the unpadded base64 of the SHA-256 of everything that decides what runs: the
 * command, its arguments in order, and every environment variable with its value. */
export function execFingerprint(plugin: ExecPlugin): string {
  const canonical = JSON.stringify([
    plugin.apiVersion,
    plugin.command,
    plugin.args,
    plugin.env.map((e) => [e.name, e.value]),
  ]);
  const digest = createHash('sha256').update(canonical).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Arguments as shown: the value of a flag whose name looks secret is hidden. */
function shownArgs(args: string[]): string[] {
  return args.map((arg, i) => {
    const inline = /^(--?[^=]+)=/.exec(arg);
    if (inline && SECRET_NAME.test(inline[1]!)) return `${inline[1]}=(hidden)`;
    const previous = args[i - 1] ?? '';
    if (/^--?[^=]+$/.test(previous) && SECRET_NAME.test(previous) && !arg.startsWith('-'))
      return '(hidden)';
    return arg;
  });
}

/** Quotes a word for a POSIX shell, unless it needs none (a hidden value is left as is). */
function quote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]*(\(hidden\))?$/.test(word) && word !== '') return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The plugin as inspection shows it: what runs, where it was found here, and its fingerprint. */
export function execPluginView(plugin: ExecPlugin): ExecPluginView {
  const args = shownArgs(plugin.args);
  const env = plugin.env.map((e) => ({
    name: e.name,
    value: SECRET_NAME.test(e.name) ? null : e.value,
  }));
  const assignments = env.map((e) => `${e.name}=${e.value === null ? '(hidden)' : quote(e.value)}`);
  return {
    command: plugin.command,
    path: findPlugin(plugin.command, pluginSearchPath()),
    args,
    env,
    command_line: [...assignments, ...[plugin.command, ...args].map(quote)].join(' '),
    fingerprint: execFingerprint(plugin),
  };
}

/** The warning inspection gives for a context whose user runs a plugin. */
export function execNotice(context: ContextEntry, view: ExecPluginView): Notice {
  const line = view.command_line;
  return {
    message: `context "${context.name}" gets its credentials by running a program on this machine: ${line} (${view.fingerprint}). It runs only if you allow exactly this command (allow_exec)`,
    message_cn: `上下文 “${context.name}” 通过在本机运行程序获取凭据：${line}（${view.fingerprint}）。只有明确允许该命令（allow_exec）后才会运行`,
  };
}

function notAllowed(context: ContextEntry, plugin: ExecPlugin): TopkeError {
  const view = execPluginView(plugin);
  const line = view.command_line;
  const field = entryField('users', context.userName, 'exec');
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field,
    message: `${field}: context "${context.name}" gets its credentials by running this program on this machine, which was not run: ${line}. If you trust it, allow exactly this command: add "${view.fingerprint}" to allow_exec (topke import: --allow-exec ${view.fingerprint}; in the app, tick "Allow this command to run")`,
    messageCn: `${field}：上下文 “${context.name}” 需要在本机运行以下程序获取凭据，该程序未被运行：${line}。如信任该命令，请明确允许它：将 “${view.fingerprint}” 加入 allow_exec（topke import：--allow-exec ${view.fingerprint}；在应用中勾选“允许运行此命令”）`,
  });
}

/** Why a context's plugin may not run: its fingerprint is not among those the engineer allowed.
 * Null when it has no plugin or it is allowed. */
function unallowedExec(context: ContextEntry, allowed: readonly string[]): TopkeError | null {
  const plugin = context.user?.exec;
  if (!plugin || allowed.includes(execFingerprint(plugin))) return null;
  return notAllowed(context, plugin);
}

/** Refuses, before anything runs, a context whose plugin the engineer did not allow: a
 * kubeconfig's exec runs any program with this process's rights. */
export function refuseUnallowedExec(contexts: ContextEntry[], allowed: readonly string[]): void {
  for (const context of contexts) {
    const refusal = unallowedExec(context, allowed);
    if (refusal) throw refusal;
  }
}
