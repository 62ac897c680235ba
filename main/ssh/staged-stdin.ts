import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Connection } from './connection.js';
import { shellQuote } from './quote.js';
import { sftpMkdir, sftpPut, sftpRmdirQuietly, sftpUnlinkQuietly } from './sftp-ops.js';

/** Runs a command whose stdin is first written to a private file in the user's home. Used under a
 * terminal (sudo's requiretty), where stdin would pass through the terminal's line discipline
 * and never reach an end of file. */
export async function withStagedStdin<T>(
  conn: Connection,
  command: string,
  stdin: string | Buffer,
  run: (command: string) => Promise<T>,
): Promise<T> {
  const home = await conn.home();
  const folder = posix.join(home, `.topke-stdin-${randomBytes(12).toString('hex')}`);
  const file = posix.join(folder, 'stdin');
  try {
    await conn.withSftp((sftp) => sftpMkdir(sftp, folder, 0o700));
    await conn.withSftp((sftp) => sftpPut(sftp, Buffer.from(stdin), file, 0o600));
    return await run(`(${command}) < ${shellQuote(file)}`);
  } finally {
    await conn.withSftp(async (sftp) => {
      await sftpUnlinkQuietly(sftp, file);
      await sftpRmdirQuietly(sftp, folder);
    });
  }
}
