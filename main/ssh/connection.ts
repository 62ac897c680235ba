import pLimit, { type LimitFunction } from 'p-limit';
import type { Client, SFTPWrapper } from 'ssh2';
import {
  ConnectionDroppedError,
  runChannel,
  type ChannelRequest,
  type ChannelResult,
} from './channel.js';
import type { Connected } from './connect.js';
import { sshError, sshErrorKind, type SshPeer } from './errors.js';
import { sftpRealpath } from './sftp-ops.js';
import { probeSudo, type SudoMode } from './sudo.js';
import type { SeenHostKey } from './types.js';

/** OpenSSH allows 10 sessions per connection by default (MaxSessions); one is kept for SFTP. */
const CHANNELS_PER_CONNECTION = 8;
const PROBE_TIMEOUT_MS = 30_000;

/** One logged-in connection: its channels are bounded, its SFTP channel and its way to root are
 * found once and reused, and it knows when it has gone away. */
export class Connection {
  readonly client: Client;
  readonly hostKey: SeenHostKey;
  closed = false;
  /** Why the connection was given up on this side, when it was (a host gone silent). */
  private lostReason: string | undefined;
  private readonly channels: LimitFunction = pLimit(CHANNELS_PER_CONNECTION);
  private sftpChannel: Promise<SFTPWrapper> | undefined;
  private sudoMode: Promise<SudoMode> | undefined;
  /** The password sudo refused on this connection. It is not tried again: every try counts as a
   * failed login, and pam_faillock locks an account after a few. */
  private refusedSudoPassword: string | undefined;
  private homeDir: Promise<string> | undefined;

  constructor(
    connected: Connected,
    private readonly peer: SshPeer,
    private readonly globalLimit: LimitFunction,
  ) {
    this.client = connected.client;
    this.hostKey = connected.hostKey;
    this.client.on('close', () => {
      this.closed = true;
    });
    // ssh2 reports unanswered keepalives with this level just before it destroys the socket:
    // the channels then close without an exit status, and the reason is kept to say why.
    this.client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'client-timeout')
        this.lostReason ??= 'the host stopped answering keepalives';
    });
  }

  /** Runs a command on its own channel, within this connection's and the pool's bounds. */
  run(request: ChannelRequest): Promise<ChannelResult> {
    // This connection's bound first, so that a pool slot is only held by a command ready to run.
    return this.channels(() => this.globalLimit(() => runChannel(this.client, request))).catch(
      (err: unknown) => {
        if (err instanceof ConnectionDroppedError && this.lostReason)
          throw new ConnectionDroppedError(this.lostReason);
        throw err;
      },
    );
  }

  /** Runs an SFTP operation within the pool's bound, on this connection's one SFTP channel. */
  async withSftp<T>(operation: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const sftp = await this.sftp();
    return this.globalLimit(() => operation(sftp));
  }

  /** The login user's home folder, where private temporary files go. */
  home(): Promise<string> {
    this.homeDir ??= this.withSftp((sftp) => sftpRealpath(sftp, '.'));
    this.homeDir.catch(() => (this.homeDir = undefined));
    return this.homeDir;
  }

  /** How this login becomes root, found once. A refused password fails at once from then on. */
  sudo(password: string | undefined): Promise<SudoMode> {
    if (password !== undefined && password === this.refusedSudoPassword) {
      const cause = 'refused earlier on this connection; not tried again';
      return Promise.reject(sshError('sudo_password_wrong', this.peer, { cause }));
    }
    this.sudoMode ??= probeSudo(this.peer, password, (command, pty, stdin) =>
      this.run({ command, pty, stdin, timeoutMs: PROBE_TIMEOUT_MS, maxBytes: 64 * 1024 }).then(
        (result) => ({ code: result.code, output: result.stdout.text() + result.stderr.text() }),
      ),
    );
    // Any other failed probe is not kept: the engineer may fix sudo and try again.
    this.sudoMode.catch((err: unknown) => {
      this.sudoMode = undefined;
      if (sshErrorKind(err) === 'sudo_password_wrong') this.refusedSudoPassword = password;
    });
    return this.sudoMode;
  }

  close(): void {
    this.closed = true;
    this.client.end();
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpChannel ??= new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) return reject(err);
        sftp.on('close', () => (this.sftpChannel = undefined));
        resolve(sftp);
      });
    });
    this.sftpChannel.catch(() => (this.sftpChannel = undefined));
    return this.sftpChannel;
  }
}
