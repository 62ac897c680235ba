import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeLogger, createLogger } from '../../main/log.js';

const dirs: string[] = [];

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function logLines(dataDir: string): { msg: string; n?: number }[] {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir)
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; n?: number });
}

describe('closeLogger', () => {
  it('has written every line to the log file when it resolves, and may be called again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'topke-log-'));
    dirs.push(dataDir);
    // As a command that ends at once does: closed before its worker thread has started.
    const log = createLogger(dataDir);
    for (let n = 0; n < 500; n++) log.info({ n }, 'line');
    await closeLogger(log);
    expect(logLines(dataDir).map((l) => l.n)).toEqual([...Array(500).keys()]);
    await closeLogger(log);
  });
});
