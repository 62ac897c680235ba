import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runTopke } from '../support/cli.js';

// What the command line says to input an engineer gets wrong, before it does anything.

let dataDir: string;
const topke = (args: string[]) => runTopke([...args, '--data-dir', dataDir]);

beforeAll(() => {
  requireBuiltCli();
  dataDir = mkdtempSync(join(tmpdir(), 'topke-cli-input-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function envelope(stdout: string): {
  scode: number;
  message: string;
  message_cn: string;
  error?: { field?: string };
} {
  return JSON.parse(stdout);
}

describe('topke scan', () => {
  it('refuses BEGIN without END rather than scan one address on a guess', async () => {
    const run = await topke(['scan', '198.18.250.1']);
    expect(run.code).toBe(1);
    const env = envelope(run.stdout);
    expect(env.error?.field).toBe('END');
    expect(env.message).toBe(
      'END: is required after BEGIN 198.18.250.1; to scan this one address, give it as 198.18.250.1/32',
    );
    expect(env.message_cn).toContain('缺少 END');
    expect(run.stderr).not.toContain('scan [');
  });
});

describe('topke serve', () => {
  it.each([
    ['99999', '99999'],
    ['abc', 'abc'],
    ['-1', '-1'],
  ])('refuses --port %s with the allowed range', async (value, shown) => {
    const run = await topke(['serve', `--port=${value}`]);
    expect(run.code).toBe(1);
    const env = envelope(run.stdout);
    expect(env.error?.field).toBe('--port');
    expect(env.message).toBe(
      `--port: must be a port number from 1 to 65535, or 0 for any free port (got "${shown}")`,
    );
    expect(env.message_cn).toContain('1 到 65535');
  });

  describe('on a port that is taken', () => {
    let holder: Server;
    let port: number;

    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
      port = (holder.address() as AddressInfo).port;
    });

    afterAll(() => new Promise((r) => holder.close(r)));

    it('says the port is in use and what to do', async () => {
      const run = await topke(['serve', '--port', String(port)]);
      expect(run.code).toBe(1);
      const env = envelope(run.stdout);
      expect(env.error?.field).toBe('--port');
      expect(env.message).toBe(
        `--port: port ${port} on 127.0.0.1 is already in use (another TopKE or another program); stop it or choose another --port`,
      );
      expect(env.message_cn).toContain('已被占用');
      expect(run.stdout).not.toContain('internal error');
    });
  });
});

describe('topke deploy and import read files as editors write them', () => {
  it('reads a UTF-16 plan (with its byte order mark) and validates its content', async () => {
    const plan = join(dataDir, 'plan-utf16.json');
    // A plan that parses but names no master: the answer proves the file was read as JSON.
    const text = JSON.stringify({ name: 'c1', master_list: [] });
    writeFileSync(plan, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const run = await topke(['deploy', plan]);
    expect(run.code).toBe(1);
    const env = envelope(run.stdout);
    expect(env.message).not.toContain('not valid JSON');
    expect(env.error?.field).toMatch(/master_list|name/);
  });

  it('reads a plan with comments and trailing commas, and refuses a hexadecimal port in it', async () => {
    const plan = join(dataDir, 'plan-commented.json');
    writeFileSync(plan, '{\n  // no master yet\n  "name": "c1",\n  "master_list": [],\n}\n');
    const read = envelope((await topke(['deploy', plan])).stdout);
    expect(read.message).not.toContain('not valid JSON');
    expect(read.error?.field).toBe('master_list');
    const hex = join(dataDir, 'plan-hex.json');
    writeFileSync(hex, '{"name": "c1", "ssh": {"user": "root", "port": 0x16}}');
    const refused = envelope((await topke(['deploy', hex])).stdout);
    expect(refused).toMatchObject({
      error: { field: 'ssh.port' },
      message: 'ssh.port: is written 0x16, a hexadecimal number; write it in decimal: 22',
    });
    const broken = join(dataDir, 'plan-broken.json');
    writeFileSync(broken, '{"name": "c1"');
    expect(envelope((await topke(['deploy', broken])).stdout)).toMatchObject({
      error: { field: 'PLAN.json' },
      message: `PLAN.json: ${broken} is not valid JSON: it ends too early (line 1, column 14)`,
    });
  });

  it('names FILE when the kubeconfig file is empty', async () => {
    const empty = join(dataDir, 'empty.yaml');
    writeFileSync(empty, '');
    const run = await topke(['import', empty, '--name', 'c1']);
    expect(run.code).toBe(1);
    const env = envelope(run.stdout);
    expect(env.error?.field).toBe('FILE');
    expect(env.message).toBe(`FILE: ${empty} is empty`);
    expect(env.message_cn).toBe(`FILE：${empty} 是空文件`);
  });
});
