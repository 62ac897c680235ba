import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { TopkeError } from '../contract/errors.js';
import type { Connection } from './connection.js';
import { sshError, type SshPeer } from './errors.js';
import { shellCommand, shellQuote } from './quote.js';
import { sftpMkdir, sftpPut, sftpRead, sftpRmdirQuietly, sftpUnlinkQuietly } from './sftp-ops.js';
import type { ExecOptions, ExecResult, UploadOptions } from './types.js';

/** What file transfer needs from a host session. */
export interface TransferHost {
  readonly peer: SshPeer;
  connection(): Promise<Connection>;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  execBytes(
    command: string,
    options?: ExecOptions,
  ): Promise<{ code: number; stdout: Buffer; stderr: string }>;
}

const PRIVATE = 0o600;

/** Puts a file at `remotePath` with its mode (and owner). As a non-root user with sudo, SFTP
 * writes into a private folder in the user's home, then sudo installs it and the folder goes. */
export async function uploadFile(
  host: TransferHost,
  source: string | Buffer,
  remotePath: string,
  options: UploadOptions,
): Promise<void> {
  const viaSudo = options.sudo === true && host.peer.user !== 'root';
  try {
    if (viaSudo) await uploadViaSudo(host, source, remotePath, options);
    else await uploadDirect(host, source, remotePath, options);
  } catch (err) {
    throw transferError('upload_failed', host.peer, remotePath, err);
  }
}

async function uploadViaSudo(
  host: TransferHost,
  source: string | Buffer,
  remotePath: string,
  options: UploadOptions,
): Promise<void> {
  const conn = await host.connection();
  const home = await conn.home();
  const folder = posix.join(home, `.topke-upload-${randomBytes(12).toString('hex')}`);
  const staged = posix.join(folder, 'file');
  try {
    await conn.withSftp((sftp) => sftpMkdir(sftp, folder, 0o700));
    await conn.withSftp((sftp) => sftpPut(sftp, source, staged, PRIVATE));
    const install = installCommand(staged, remotePath, options);
    await mustSucceed(host.exec(install, { sudo: true }), 'install');
  } finally {
    await conn.withSftp(async (sftp) => {
      await sftpUnlinkQuietly(sftp, staged);
      await sftpRmdirQuietly(sftp, folder);
    });
  }
}

async function uploadDirect(
  host: TransferHost,
  source: string | Buffer,
  remotePath: string,
  options: UploadOptions,
): Promise<void> {
  const conn = await host.connection();
  // Written beside the target and renamed over it: the target is never seen half-written, and a
  // running binary being replaced does not fail with "text file busy".
  const part = `${remotePath}.topke-part-${randomBytes(6).toString('hex')}`;
  await mustSucceed(
    host.exec(shellCommand('mkdir', '-p', '--', posix.dirname(remotePath))),
    'mkdir',
  );
  try {
    await conn.withSftp((sftp) => sftpPut(sftp, source, part, PRIVATE));
    await mustSucceed(host.exec(placeCommand(part, remotePath, options)), 'rename');
  } catch (err) {
    await conn.withSftp((sftp) => sftpUnlinkQuietly(sftp, part));
    throw err;
  }
}

function modeOf(options: UploadOptions): string {
  return (options.mode ?? 0o644).toString(8).padStart(4, '0');
}

function ownerFlags(owner: string | undefined): string[] {
  if (!owner) return [];
  const [user, group] = owner.split(':');
  return [...(user ? ['-o', user] : []), ...(group ? ['-g', group] : [])];
}

function installCommand(staged: string, remotePath: string, options: UploadOptions): string {
  const flags = ['-D', '-m', modeOf(options), ...ownerFlags(options.owner)];
  return shellCommand('install', ...flags, '--', staged, remotePath);
}

function placeCommand(part: string, remotePath: string, options: UploadOptions): string {
  const steps = [shellCommand('chmod', modeOf(options), '--', part)];
  if (options.owner) steps.push(shellCommand('chown', '--', options.owner, part));
  steps.push(shellCommand('mv', '-f', '--', part, remotePath));
  return steps.join(' && ');
}

/** Reads a remote file: over SFTP, or through `sudo cat` for a root-only file. */
export async function readRemoteFile(
  host: TransferHost,
  remotePath: string,
  sudo: boolean,
): Promise<Buffer> {
  try {
    if (!sudo || host.peer.user === 'root') {
      const conn = await host.connection();
      return await conn.withSftp((sftp) => sftpRead(sftp, remotePath));
    }
    const result = await host.execBytes(`cat -- ${shellQuote(remotePath)}`, { sudo: true });
    if (result.code !== 0)
      throw new Error(result.stderr.trim() || `cat exited with ${result.code}`);
    return result.stdout;
  } catch (err) {
    throw transferError('read_failed', host.peer, remotePath, err);
  }
}

async function mustSucceed(pending: Promise<ExecResult>, step: string): Promise<void> {
  const result = await pending;
  if (result.code !== 0) {
    throw new Error(
      `${step} exited with ${result.code}: ${(result.stderr || result.stdout).trim()}`,
    );
  }
}

function transferError(
  kind: 'upload_failed' | 'read_failed',
  peer: SshPeer,
  path: string,
  err: unknown,
): TopkeError {
  if (err instanceof TopkeError) return withPath(err, kind, path);
  return sshError(kind, peer, { path, cause: err instanceof Error ? err.message : String(err) });
}

/** Connection and sudo failures already say what to do: they are kept, and name the path too.
 * A new error, since the same one may reach other callers (a connection attempt they shared). */
function withPath(
  err: TopkeError,
  kind: 'upload_failed' | 'read_failed',
  path: string,
): TopkeError {
  const [en, cn] = kind === 'upload_failed' ? ['uploading to', '上传到'] : ['reading', '读取'];
  return new TopkeError({
    code: err.code,
    field: err.field,
    message: `${err.message} (while ${en} ${path})`,
    messageCn: `${err.messageCn}（${cn} ${path} 时）`,
    details: { ...(err.details as object), path },
  });
}
