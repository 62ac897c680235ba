import type { Socket } from 'node:net';

/** The SSH layer's contract, used by scan, preflight, deploy, node create and registry distribute. */

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  /** Private key text: OpenSSH, PEM, PKCS#8 or PuTTY .ppk. */
  privateKey?: string;
  passphrase?: string;
  sudoPassword?: string;
  /** Opt-in: also offer legacy algorithms (ssh-rsa with SHA-1, old KEX and ciphers). */
  legacyAlgorithms?: boolean;
}

/** Commands run under /bin/sh. Under sudo with requiretty they run on a terminal, where stderr
 * arrives on stdout. */
export interface ExecOptions {
  /** Run as root through sudo when the login user is not root. */
  sudo?: boolean;
  /** The command and all it started are stopped on the host at this deadline (default: the
   * pool's commandTimeoutMs); the call then fails with kind 'command_timeout'. */
  timeoutMs?: number;
  stdin?: string | Buffer;
  /** Streamed output, for live logs; the full output is bounded in the result. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Safe to run again: after a dropped connection it is retried once on a new connection. */
  idempotent?: boolean;
  /** Told when the connection dropped under the command and it is about to run again on a new
   * connection (only for idempotent commands), with the reason, for the step's output. */
  onReconnect?: (reason: string) => void;
}

/** A command's outcome. A non-zero exit code is a result, not an exception. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface UploadOptions {
  mode?: number;
  /** Install into a root-owned place: upload to a private temporary path, then move with sudo. */
  sudo?: boolean;
  owner?: string;
}

export interface SshSession {
  readonly target: SshTarget;
  /** The host key seen when this session connected (first contact when `firstContact`). */
  readonly hostKey?: SeenHostKey;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** `source` is a local file path, or the content itself as a Buffer. */
  upload(source: string | Buffer, remotePath: string, options?: UploadOptions): Promise<void>;
  readFile(remotePath: string, options?: { sudo?: boolean }): Promise<Buffer>;
}

/** Known host keys: first contact records the key; a different key later stops all work. */
export interface KnownHosts {
  check(
    host: string,
    port: number,
    keyType: string,
    fingerprint: string,
  ): 'new' | 'match' | 'changed';
  remember(host: string, port: number, keyType: string, fingerprint: string): void;
  /** The recorded key, when there is one (used to name the expected key in errors). */
  get?(host: string, port: number): KnownHostEntry | undefined;
}

export interface KnownHostEntry {
  host: string;
  port: number;
  keyType: string;
  /** "SHA256:" and unpadded base64, as OpenSSH prints it. */
  fingerprint: string;
  /** Unix seconds. */
  firstSeen: number;
}

export interface SeenHostKey {
  keyType: string;
  fingerprint: string;
  firstContact: boolean;
}

/** A key a host presented that differs from its recorded one, not accepted (yet). */
export interface ChangedHostKey {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** Unix seconds. */
  seenAt: number;
}

/** The stored known hosts, with the engineer's decisions about changed keys. */
export interface KnownHostsStore extends KnownHosts {
  get(host: string, port: number): KnownHostEntry | undefined;
  /** Trusts a changed key: the given one, else the one last seen by this process, else forgets
   * the host so that the next contact records its key as new. */
  accept(host: string, port: number, key?: { keyType: string; fingerprint: string }): void;
  forget(host: string, port: number): void;
  /** The different key this process last saw from the host, while it is not accepted. */
  changed(host: string, port: number): ChangedHostKey | undefined;
  list(): KnownHostEntry[];
}

export interface SshPool {
  /** A connected, authenticated session, reused per target for the pool's lifetime. `socket`:
   * a TCP connection to the target on which nothing was written yet and the server's
   * identification line is still unread; it carries the first connection instead of a new one
   * (and is closed when the session needs none). */
  session(target: SshTarget, socket?: Socket): Promise<SshSession>;
  closeAll(): Promise<void>;
}
