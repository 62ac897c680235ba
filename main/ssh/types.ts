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

export interface ExecOptions {
  /** Run as root through sudo when the login user is not root. */
  sudo?: boolean;
  timeoutMs?: number;
  stdin?: string | Buffer;
  /** Streamed output, for live logs; the full output is bounded in the result. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Safe to run again: after a dropped connection it is retried once on a new connection. */
  idempotent?: boolean;
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
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
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
}

export interface SshPool {
  /** A connected, authenticated session, reused per target for the pool's lifetime. */
  session(target: SshTarget): Promise<SshSession>;
  closeAll(): Promise<void>;
}
