// The data folder as the engineer points at it: made owner-only, one level at a time; a file or
// an unwritable place is refused naming the setting, as the command line's bad options are.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext } from '../../main/context.js';
import type { TopkeError } from '../../main/contract/errors.js';
import { prepareDataDir } from '../../main/store/data-dir.js';
import { requireBuiltCli, runTopke } from '../support/cli.js';
import { thrown } from '../support/errors.js';

let dir: string;
const mode = (path: string) => statSync(path).mode & 0o777;

function refusal(path: string): TopkeError {
  return thrown(() => prepareDataDir(path, '--data-dir'), path);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'topke-data-dir-'));
  writeFileSync(join(dir, 'a-file'), 'not a folder');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the data folder', () => {
  it('is made with its parents, readable by the owner only, with the database and logs', async () => {
    const data = join(dir, 'new', 'nested', 'data');
    const ctx = createContext(data);
    ctx.log.info('a line for the log file');
    ctx.db.close();
    expect([mode(join(dir, 'new')), mode(data), mode(join(data, 'logs'))]).toEqual([
      0o700, 0o700, 0o700,
    ]);
    expect(mode(join(data, 'topke.sqlite'))).toBe(0o600);
    expect(mode(join(data, 'secret.key'))).toBe(0o600);
    // The log file is opened by the logger's worker thread, in its own time.
    const logs = await vi.waitFor(
      () => {
        const files = readdirSync(join(data, 'logs'));
        expect(files.length).toBeGreaterThan(0);
        return files;
      },
      { timeout: 30_000, interval: 50 },
    );
    for (const log of logs) expect(mode(join(data, 'logs', log))).toBe(0o600);
  });

  it('refuses a file, or a folder under a file, naming the setting and the path', () => {
    for (const path of [join(dir, 'a-file'), join(dir, 'a-file', 'below')])
      expect(refusal(path)).toMatchObject({
        code: 'invalid_field',
        field: '--data-dir',
        message: `--data-dir: ${join(dir, 'a-file')} is a file, not a folder: choose a folder for the data (or one that does not exist yet)`,
        messageCn: `--data-dir：${join(dir, 'a-file')} 是文件而不是文件夹：请为数据选择一个文件夹（或尚不存在的路径）`,
      });
  });

  it('refuses a place where no folder can be made, at once (under /proc)', () => {
    expect(refusal('/proc/topke-nope/data')).toMatchObject({
      field: '--data-dir',
      message:
        '--data-dir: cannot make the data folder /proc/topke-nope (ENOENT): choose a folder this user can write',
    });
  });
});

describe('the command line', () => {
  it('answers a bad data folder with the envelope, from the flag or from TOPKE_DATA_DIR', async () => {
    requireBuiltCli();
    const run = await runTopke(['list', '--data-dir', join(dir, 'a-file')]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      scode: 400,
      data: null,
      error: { code: 'invalid_field', field: '--data-dir' },
    });
    const fromEnv = await runTopke(['list'], undefined, { TOPKE_DATA_DIR: join(dir, 'a-file') });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ error: { field: 'TOPKE_DATA_DIR' } });
  });

  it('answers an unknown option or a missing value with the envelope and exit status 2', async () => {
    const unknown = await runTopke(['list', '--bogus', '--data-dir', join(dir, 'cli')]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      message: '--bogus: is not an option of topke (see topke --help)',
      message_cn: '--bogus：不是 topke 的选项（见 topke --help）',
      error: { field: '--bogus' },
    });
    expect(unknown.stderr).toContain('Usage: topke');
    const missing = await runTopke(['serve', '--port']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ message: '--port: needs a value' });
  });
});
