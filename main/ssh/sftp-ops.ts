import type { SFTPWrapper } from 'ssh2';

/** Promise forms of the few SFTP calls the layer uses. */

export function sftpPut(
  sftp: SFTPWrapper,
  source: string | Buffer,
  remote: string,
  mode: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (typeof source === 'string') sftp.fastPut(source, remote, { mode }, done);
    else sftp.writeFile(remote, source, { mode }, done);
  });
}

export function sftpRead(sftp: SFTPWrapper, remote: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sftp.readFile(remote, (err, data) => (err ? reject(err) : resolve(data)));
  });
}

export function sftpMkdir(sftp: SFTPWrapper, remote: string, mode: number): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.mkdir(remote, { mode }, (err) => (err ? reject(err) : resolve()));
  });
}

export function sftpRealpath(sftp: SFTPWrapper, remote: string): Promise<string> {
  return new Promise((resolve, reject) => {
    sftp.realpath(remote, (err, path) => (err ? reject(err) : resolve(path)));
  });
}

/** Removes a file, ignoring every error: used for clean-up after a failure. */
export function sftpUnlinkQuietly(sftp: SFTPWrapper, remote: string): Promise<void> {
  return new Promise((resolve) => sftp.unlink(remote, () => resolve()));
}

export function sftpRmdirQuietly(sftp: SFTPWrapper, remote: string): Promise<void> {
  return new Promise((resolve) => sftp.rmdir(remote, () => resolve()));
}
