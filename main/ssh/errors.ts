import { TopkeError } from '../contract/errors.js';

export type SshErrorKind =
  | 'auth'
  | 'connect_refused'
  | 'unreachable'
  | 'timeout'
  | 'command_timeout'
  | 'host_key_changed'
  | 'sudo_needs_password'
  | 'sudo_password_wrong'
  | 'key_format'
  | 'passphrase_needed'
  | 'passphrase_wrong'
  | 'algorithms'
  | 'protocol'
  | 'disconnected'
  | 'connection_lost'
  | 'upload_failed'
  | 'read_failed';

/** What an SSH error carries for the code that handles it and for the log. Never a secret. */
export interface SshErrorDetails {
  kind: SshErrorKind;
  host: string;
  port: number;
  user: string;
  /** Authentication methods the server allows. */
  methods?: string[];
  /** Authentication methods tried. */
  tried?: string[];
  algorithms?: { category: string; client: string[]; server: string[] };
  keyFormat?: string;
  path?: string;
  /** The key the host presented; for a changed key also the recorded one ("known"), both as
   * OpenSSH prints them, and `expected` as "type fingerprint" for the sentence. */
  hostKey?: {
    keyType: string;
    fingerprint: string;
    firstContact?: boolean;
    expected?: string;
    knownKeyType?: string;
    knownFingerprint?: string;
  };
  timeoutMs?: number;
  /** connection_lost: the command was safe to repeat, ran again once on a new connection, and
   * that connection dropped too (`cause` is the second drop's, `firstCause` the first failure's). */
  retried?: boolean;
  firstCause?: string;
  /** The library's own words, for the log. */
  cause?: string;
}

export interface SshPeer {
  host: string;
  port: number;
  user: string;
}

type Extra = Omit<SshErrorDetails, 'kind' | 'host' | 'port' | 'user'>;
type Sentences = (extra: Extra, peer: SshPeer) => [en: string, cn: string];

const list = (items: string[] | undefined): string => {
  if (!items) return 'unknown';
  return items.length > 0 ? items.join(', ') : 'none';
};
const seconds = (ms: number | undefined): string => String(Math.round((ms ?? 0) / 100) / 10);

const SENTENCES: Record<SshErrorKind, Sentences> = {
  auth: (x) => [
    `authentication failed (tried: ${list(x.tried)}; the server allows: ${list(x.methods)}). ` +
      'Check the user name and the password or key, or give a credential for a method the server allows.',
    `认证失败（已尝试：${list(x.tried)}；服务器允许：${list(x.methods)}）。` +
      '请检查用户名、密码或私钥，或提供服务器允许的认证方式所需的凭据。',
  ],
  connect_refused: (_x, p) => [
    `connection refused on port ${p.port}: no SSH server listens there. Check that sshd runs and the port is right.`,
    `端口 ${p.port} 拒绝连接：没有 SSH 服务在监听。请确认 sshd 正在运行且端口正确。`,
  ],
  unreachable: (x) => [
    `the host cannot be reached (${x.cause ?? 'no route'}). Check the address and the network.`,
    `无法到达该主机（${x.cause ?? 'no route'}）。请检查地址和网络。`,
  ],
  timeout: (x) => [
    `no SSH login within ${seconds(x.timeoutMs)} s (connect, handshake and login). ` +
      'Check the address, the port and any firewall in between.',
    `${seconds(x.timeoutMs)} 秒内未能完成 SSH 登录（连接、握手与认证）。请检查地址、端口以及中间的防火墙。`,
  ],
  command_timeout: (x) => [
    `a command did not finish within ${seconds(x.timeoutMs)} s and was stopped. Check the host's load, or allow more time.`,
    `命令在 ${seconds(x.timeoutMs)} 秒内未完成，已被终止。请检查主机负载，或放宽时间限制。`,
  ],
  host_key_changed: (x) => [
    `the host key changed (recorded ${x.hostKey?.expected ?? 'another key'}, now ` +
      `${x.hostKey?.keyType} ${x.hostKey?.fingerprint}). All work on this host is stopped: if the host ` +
      'was reinstalled, compare the new fingerprint with the one its console shows ' +
      '(ssh-keygen -lf on its host key) and accept the new key; otherwise the connection may be intercepted.',
    `主机密钥已变化（记录为 ${x.hostKey?.expected ?? '另一个密钥'}，现在为 ` +
      `${x.hostKey?.keyType} ${x.hostKey?.fingerprint}）。已停止对该主机的所有操作：如果主机已重装，` +
      '请在主机控制台上核对新指纹（对其主机密钥执行 ssh-keygen -lf）后接受新密钥；否则连接可能被劫持。',
  ],
  sudo_needs_password: (_x, p) => [
    `sudo asks ${p.user} for a password (tried sudo -n). Give the sudo password, or log in as root.`,
    `sudo 需要 ${p.user} 的密码（已尝试 sudo -n）。请提供 sudo 密码，或使用 root 登录。`,
  ],
  sudo_password_wrong: (_x, p) => [
    `sudo refused the password for ${p.user} (tried sudo -S). ` +
      `Check the sudo password and that ${p.user} may use sudo.`,
    `sudo 拒绝了 ${p.user} 的密码（已尝试 sudo -S）。请检查 sudo 密码，并确认 ${p.user} 有 sudo 权限。`,
  ],
  key_format: (x) => [
    `the private key cannot be used: ${x.cause ?? 'unknown format'}.`,
    `无法使用该私钥：${x.cause ?? '未知格式'}。`,
  ],
  passphrase_needed: (x) => [
    `the private key (${x.keyFormat}) is encrypted and no passphrase was given. Give its passphrase.`,
    `私钥（${x.keyFormat}）已加密，但未提供口令。请提供私钥口令。`,
  ],
  passphrase_wrong: (x) => [
    `the passphrase does not decrypt the private key (${x.keyFormat}). Check the passphrase.`,
    `口令无法解密私钥（${x.keyFormat}）。请检查私钥口令。`,
  ],
  algorithms: (x) => [
    `no ${x.algorithms?.category} algorithm in common (ours: ${list(x.algorithms?.client)}; ` +
      `the server's: ${list(x.algorithms?.server)}). For an old server, enable legacy algorithms for this host.`,
    `双方没有共同的 ${x.algorithms?.category} 算法（本端：${list(x.algorithms?.client)}；` +
      `服务器：${list(x.algorithms?.server)}）。如果是旧版服务器，请为该主机启用旧算法。`,
  ],
  protocol: (x) => [
    `the SSH conversation failed (${x.cause ?? 'protocol error'}). Check that the port belongs to an SSH server.`,
    `SSH 通信失败（${x.cause ?? 'protocol error'}）。请确认该端口是 SSH 服务。`,
  ],
  disconnected: (x) => [
    `the server closed the connection (${x.cause ?? 'no reason given'}). Check the server's sshd log.`,
    `服务器关闭了连接（${x.cause ?? '未说明原因'}）。请检查服务器的 sshd 日志。`,
  ],
  connection_lost: (x) =>
    x.retried
      ? [
          `the connection dropped again while the command ran (${x.cause ?? 'no reason given'}): ` +
            'being safe to repeat, it had been retried once on a new connection after the first ' +
            `one failed (${x.firstCause ?? 'no reason given'}). Check the host and the network, ` +
            'then run the step again.',
          `命令执行期间连接再次中断（${x.cause ?? '未说明原因'}）：该命令可安全重复，在首个连接出错` +
            `（${x.firstCause ?? '未说明原因'}）后已在新连接上重试过一次。请检查主机和网络，然后重新执行该步骤。`,
        ]
      : [
          `the connection dropped while a command ran (${x.cause ?? 'no reason given'}); it was not ` +
            'repeated because the step is not safe to repeat. Run the step again.',
          `命令执行期间连接中断（${x.cause ?? '未说明原因'}）；该步骤不可安全重复，因此未自动重试。请重新执行该步骤。`,
        ],
  upload_failed: (x) => [
    `uploading to ${x.path} failed (${x.cause ?? 'unknown reason'}). Check the path, free disk space and permissions.`,
    `上传到 ${x.path} 失败（${x.cause ?? '未知原因'}）。请检查路径、磁盘空间和权限。`,
  ],
  read_failed: (x) => [
    `reading ${x.path} failed (${x.cause ?? 'unknown reason'}). Check that the file exists and may be read.`,
    `读取 ${x.path} 失败（${x.cause ?? '未知原因'}）。请确认文件存在且可读。`,
  ],
};

/** An SSH failure as a TopkeError: names the host, the user, what was tried and what to do. */
export function sshError(kind: SshErrorKind, peer: SshPeer, extra: Extra = {}): TopkeError {
  const [en, cn] = SENTENCES[kind](extra, peer);
  const who = `${peer.user}@${peer.host}:${peer.port}`;
  return new TopkeError({
    code: kind === 'host_key_changed' ? 'host_key_changed' : 'ssh_failed',
    message: `ssh ${who}: ${en}`,
    messageCn: `ssh ${who}：${cn}`,
    details: { kind, host: peer.host, port: peer.port, user: peer.user, ...extra },
  });
}

/** The kind of an SSH TopkeError, when it is one. */
export function sshErrorKind(err: unknown): SshErrorKind | undefined {
  if (!(err instanceof TopkeError)) return undefined;
  const details = err.details as Partial<SshErrorDetails> | undefined;
  return details?.kind;
}
