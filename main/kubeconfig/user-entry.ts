import { newUsers, type User } from '@kubernetes/client-node/dist/config_types.js';
import { execPluginOf, type ExecPlugin } from './exec-consent.js';
import { resolveReference, readReference, type KubeconfigSource } from './paths.js';
import { checkCertificateData, checkKeyData, earliestExpiry, isDataProblem } from './pem.js';
import { entryField, problemAt, type Problem } from './problem.js';

export type AuthKind = 'client-certificate' | 'token' | 'basic' | 'exec' | 'auth-provider' | 'none';

/** One entry of `users`, checked: the library's view of it, or why it cannot be used. */
export interface UserEntry {
  name: string;
  user: User | null;
  auth: AuthKind;
  /** The credential plugin it runs, if any: shown before import, run only when allowed. */
  exec: ExecPlugin | null;
  problems: Problem[];
  certExpiry: number | null;
}

type Body = Record<string, unknown>;

const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
];

function asObject(value: unknown): Body | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Body)
    : null;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** Replaces a path field by the inline field holding its content (a token file's content is
 * trimmed, as kubectl does). */
function inlineFile(
  body: Body,
  pathKey: string,
  dataKey: string,
  ctx: { name: string; source: KubeconfigSource; problems: Problem[] },
): Body {
  const ref = body[pathKey];
  if (typeof ref !== 'string' || ref === '' || present(body[dataKey])) return body;
  const read = readReference(ref, ctx.source, entryField('users', ctx.name, pathKey));
  if (!Buffer.isBuffer(read)) {
    ctx.problems.push(read);
    return body;
  }
  const inline = { ...body };
  delete inline[pathKey];
  inline[dataKey] = dataKey === 'token' ? read.toString('utf8').trim() : read.toString('base64');
  return inline;
}

function checkClientCertificate(body: Body, name: string, problems: Problem[]): number | null {
  const cert = body['client-certificate-data'];
  const key = body['client-key-data'];
  if (!present(cert) && !present(key)) return null;
  const field = (k: string) => entryField('users', name, k);
  if (!present(key)) {
    problems.push(
      problemAt(
        field('client-key-data'),
        'is missing: the client certificate needs its key',
        '缺失：客户端证书需要对应的私钥',
      ),
    );
    return null;
  }
  if (!present(cert)) {
    problems.push(
      problemAt(
        field('client-certificate-data'),
        'is missing: the client key needs its certificate',
        '缺失：客户端私钥需要对应的证书',
      ),
    );
    return null;
  }
  const keyProblem = checkKeyData(key);
  if (keyProblem)
    problems.push(problemAt(field('client-key-data'), keyProblem.message, keyProblem.messageCn));
  const certs = checkCertificateData(cert);
  if (!isDataProblem(certs)) return earliestExpiry(certs.slice(0, 1));
  problems.push(problemAt(field('client-certificate-data'), certs.message, certs.messageCn));
  return null;
}

/** `args` is a list of strings and `env` a list of name and value strings, as kubectl reads them;
 * anything else would run a command other than the one shown. */
function checkExecLists(exec: Body, field: (k: string) => string, problems: Problem[]): void {
  const args = exec.args;
  if (args !== undefined && args !== null)
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string'))
      problems.push(problemAt(field('args'), 'must be a list of strings', '应为字符串列表'));
  const env = exec.env;
  if (env === undefined || env === null) return;
  const entries = Array.isArray(env) ? (env as unknown[]).map(asObject) : [null];
  if (entries.some((e) => !e || typeof e.name !== 'string' || typeof e.value !== 'string'))
    problems.push(
      problemAt(
        field('env'),
        'must be a list of entries with a name and a value, both strings',
        '应为列表，每项包含字符串类型的 name 和 value',
      ),
    );
}

/** A relative command with a slash is relative to the kubeconfig's folder (kubectl's rule); a
 * bare name is looked up on PATH when the plugin runs. */
function checkExec(body: Body, name: string, source: KubeconfigSource, problems: Problem[]): Body {
  const exec = asObject(body.exec);
  const field = (k: string) => entryField('users', name, `exec.${k}`);
  if (!exec) {
    problems.push(problemAt(entryField('users', name, 'exec'), 'must be a mapping', '应为映射'));
    return body;
  }
  if (typeof exec.command !== 'string' || exec.command.trim() === '') {
    problems.push(problemAt(field('command'), 'is missing', '缺失'));
    return body;
  }
  checkExecLists(exec, field, problems);
  if (!EXEC_API_VERSIONS.includes(String(exec.apiVersion)))
    problems.push(
      problemAt(
        field('apiVersion'),
        `must be one of ${EXEC_API_VERSIONS.join(', ')}`,
        `应为以下之一：${EXEC_API_VERSIONS.join('、')}`,
      ),
    );
  if (!exec.command.includes('/')) return body;
  const resolved = resolveReference(exec.command, source, field('command'), true);
  if (typeof resolved !== 'string') {
    problems.push(resolved);
    return body;
  }
  return { ...body, exec: { ...exec, command: resolved } };
}

function checkAuthProvider(body: Body, name: string, problems: Problem[]): void {
  const provider = asObject(body['auth-provider']);
  if (provider?.name === 'oidc') return;
  problems.push(
    problemAt(
      entryField('users', name, 'auth-provider'),
      `"${String(provider?.name ?? '')}" is not supported (kubectl removed it): use an exec plugin`,
      `不支持 “${String(provider?.name ?? '')}”（kubectl 已移除）：请改用 exec 插件`,
    ),
  );
}

function authKindOf(body: Body): AuthKind {
  if (present(body.exec)) return 'exec';
  if (present(body['auth-provider'])) return 'auth-provider';
  if (present(body['client-certificate-data'])) return 'client-certificate';
  if (present(body.token)) return 'token';
  if (present(body.username)) return 'basic';
  return 'none';
}

function inlineAll(given: Body, name: string, source: KubeconfigSource, problems: Problem[]): Body {
  const ctx = { name, source, problems };
  let body = inlineFile(given, 'client-certificate', 'client-certificate-data', ctx);
  body = inlineFile(body, 'client-key', 'client-key-data', ctx);
  return inlineFile(body, 'token-file', 'token', ctx);
}

/** Checks one raw entry of `users` (index `i` names it when it has no name). */
export function readUserEntry(raw: unknown, i: number, source: KubeconfigSource): UserEntry {
  const entry = asObject(raw);
  const name = typeof entry?.name === 'string' ? entry.name : '';
  if (!entry || !name)
    return {
      name: `#${i}`,
      user: null,
      auth: 'none',
      exec: null,
      certExpiry: null,
      problems: [problemAt(`users[${i}].name`, 'is missing', '缺失')],
    };
  const problems: Problem[] = [];
  let body = inlineAll(asObject(entry.user) ?? {}, name, source, problems);
  const certExpiry = checkClientCertificate(body, name, problems);
  if (present(body.exec)) body = checkExec(body, name, source, problems);
  if (present(body['auth-provider'])) checkAuthProvider(body, name, problems);
  const auth = authKindOf(body);
  const exec = auth === 'exec' ? execPluginOf(body.exec) : null;
  if (problems.length > 0) return { name, user: null, auth, exec, certExpiry, problems };
  return {
    name,
    user: newUsers([{ ...entry, user: body }])[0] ?? null,
    auth,
    exec,
    certExpiry,
    problems,
  };
}
