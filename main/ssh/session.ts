import type { Socket } from 'node:net';
import type { LimitFunction } from 'p-limit';
import { TopkeError } from '../contract/errors.js';
import type { Logger } from '../log.js';
import {
  ChannelOpenError,
  CommandTimeoutError,
  ConnectionDroppedError,
  type ChannelResult,
} from './channel.js';
import { connectClient, peerOf, type ConnectSettings } from './connect.js';
import { Connection } from './connection.js';
import type { HostKeyGate } from './host-key-gate.js';
import { withDeadline } from './deadline.js';
import { sshError, type SshPeer } from './errors.js';
import { withStagedStdin } from './staged-stdin.js';
import { asRoot, type RootCommand } from './sudo.js';
import { readRemoteFile, uploadFile, type TransferHost } from './transfer.js';
import type {
  ExecOptions,
  ExecResult,
  SeenHostKey,
  SshSession,
  SshTarget,
  UploadOptions,
} from './types.js';

export interface SessionSettings extends ConnectSettings {
  limit: LimitFunction;
  hostKeys: HostKeyGate;
  commandTimeoutMs: number;
  maxOutputBytes: number;
}

/** Room for a whole file read through `sudo cat`. */
const MAX_READ_BYTES = 256 * 1024 * 1024;

/** One target's session: a connection made on demand and remade after it drops; commands that
 * are safe to repeat run again once on the new connection. */
export class HostSession implements SshSession, TransferHost {
  readonly peer: SshPeer;
  hostKey: SeenHostKey | undefined;
  private live: Connection | undefined;
  private opening: Promise<Connection> | undefined;
  private disposed = false;
  /** Aborts a connection still being made when the session is disposed. */
  private readonly disposal = new AbortController();
  private readonly log: Logger;

  constructor(
    readonly target: SshTarget,
    private readonly settings: SessionSettings,
  ) {
    this.peer = peerOf(target);
    this.log = settings.log.child({ host: target.host, port: target.port, user: target.user });
  }

  /** The live connection, or a new one when there is none or it has dropped; made over `socket`
   * when one is given and a connection is to be made, else the socket is closed. */
  async connection(socket?: Socket): Promise<Connection> {
    try {
      if (this.disposed)
        throw sshError('disconnected', this.peer, { cause: 'the SSH pool was closed' });
      this.settings.hostKeys.check(this.peer);
      if (this.live && !this.live.closed) return this.live;
      if (!this.opening) {
        this.opening = this.open(socket).finally(() => (this.opening = undefined));
        socket = undefined;
      }
      return await this.opening;
    } finally {
      socket?.destroy();
    }
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.execRaw(command, options, this.settings.maxOutputBytes);
    return { code: result.code, stdout: result.stdout.text(), stderr: result.stderr.text() };
  }

  async execBytes(
    command: string,
    options: ExecOptions = {},
  ): Promise<{ code: number; stdout: Buffer; stderr: string }> {
    const result = await this.execRaw(command, options, MAX_READ_BYTES);
    return { code: result.code, stdout: result.stdout.buffer(), stderr: result.stderr.text() };
  }

  upload(source: string | Buffer, remotePath: string, options: UploadOptions = {}): Promise<void> {
    return uploadFile(this, source, remotePath, options);
  }

  readFile(remotePath: string, options: { sudo?: boolean } = {}): Promise<Buffer> {
    return readRemoteFile(this, remotePath, options.sudo === true);
  }

  close(): void {
    this.live?.close();
    this.live = undefined;
  }

  /** Closes for good: a connection still being made is given up at once. */
  dispose(): void {
    this.disposed = true;
    this.disposal.abort();
    this.close();
  }

  private async open(socket?: Socket): Promise<Connection> {
    const connected = await connectClient(this.target, this.settings, {
      signal: this.disposal.signal,
      socket,
    }).catch((err: unknown) => {
      this.settings.hostKeys.observe(err);
      throw err;
    });
    this.live = new Connection(connected, this.peer, this.settings.limit);
    if (this.disposed) this.close();
    this.hostKey = connected.hostKey;
    this.log.debug({ keyType: connected.hostKey.keyType }, 'ssh connected');
    return this.live;
  }

  private async execRaw(
    command: string,
    options: ExecOptions,
    maxBytes: number,
  ): Promise<ChannelResult> {
    const conn = await this.connection();
    try {
      return await this.execOnce(conn, command, options, maxBytes);
    } catch (err) {
      if (!this.mayRetry(err, options, conn)) throw this.explain(err, options);
      const reason = (err as Error).message;
      this.log.warn({ reason }, 'ssh connection dropped; running the step again');
      this.drop(conn);
      try {
        const fresh = await this.connection();
        if (err instanceof ConnectionDroppedError) options.onReconnect?.(reason);
        return await this.execOnce(fresh, command, options, maxBytes);
      } catch (again) {
        throw this.explain(again, options, options.idempotent ? reason : undefined);
      }
    }
  }

  /** Closes a connection that failed a command. Only that one: commands running at the same time
   * may already have reconnected, and their new connection stays. */
  private drop(conn: Connection): void {
    if (this.live === conn) this.live = undefined;
    conn.close();
  }

  private async execOnce(
    conn: Connection,
    command: string,
    options: ExecOptions,
    maxBytes: number,
  ): Promise<ChannelResult> {
    const timeoutMs = options.timeoutMs ?? this.settings.commandTimeoutMs;
    const run = (line: RootCommand, pty: boolean) =>
      conn.run({
        ...line,
        pty,
        timeoutMs,
        remoteDeadline: true,
        maxBytes,
        onOutput: options.onOutput,
      });
    const bounded = withDeadline(command, timeoutMs);
    if (!options.sudo || this.target.user === 'root') {
      return run({ command: bounded, stdin: options.stdin }, false);
    }

    const mode = await conn.sudo(this.target.sudoPassword ?? this.target.password);
    const pty = mode.kind !== 'root' && mode.pty;
    if (pty && options.stdin !== undefined) {
      return withStagedStdin(conn, bounded, options.stdin, (staged) =>
        run(asRoot(mode, staged, undefined), true),
      );
    }
    // Under a terminal, `timeout` runs the command outside the terminal's foreground group, where
    // reading the terminal would stop it: a command given no stdin reads /dev/null instead.
    const line = pty ? `${bounded} < /dev/null` : bounded;
    return run(asRoot(mode, line, options.stdin), pty);
  }

  /** A command that never started may always run again; one cut off only when it is idempotent. */
  private mayRetry(err: unknown, options: ExecOptions, conn: Connection): boolean {
    if (err instanceof ChannelOpenError) return conn.closed || this.live !== conn;
    return err instanceof ConnectionDroppedError && options.idempotent === true;
  }

  /** The error as the engineer reads it; `firstDrop` is the reason of the drop before a retry of
   * a command safe to repeat, when the retry failed too. */
  private explain(err: unknown, options: ExecOptions, firstDrop?: string): unknown {
    if (err instanceof TopkeError) return err;
    if (err instanceof CommandTimeoutError) {
      return sshError('command_timeout', this.peer, {
        timeoutMs: options.timeoutMs ?? this.settings.commandTimeoutMs,
      });
    }
    if (err instanceof ConnectionDroppedError && firstDrop !== undefined)
      return sshError('connection_lost', this.peer, {
        cause: err.message,
        retried: true,
        firstCause: firstDrop,
      });
    if (err instanceof ConnectionDroppedError)
      return sshError('connection_lost', this.peer, { cause: err.message });
    if (err instanceof ChannelOpenError)
      return sshError('disconnected', this.peer, { cause: err.message });
    return err;
  }
}
