// `topke serve` as the README and the issue describe it: port 18080 unless told, a token from
// TOPKE_API_TOKEN or generated and printed, the data folder from --data-dir, TOPKE_DATA_DIR or the
// XDG data folder. The suite runs in the test namespace, where 18080 is free.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, startServe, type Server } from '../e2e/server.js';

let dir: string;
let server: Server | undefined;

/** The envelope of an authenticated cluster list, or the HTTP status when refused. */
async function list(origin: string, token: string): Promise<number | Record<string, unknown>> {
  const res = await fetch(`${origin}v1/topke/cluster/list`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: '{}',
  });
  return res.ok ? ((await res.json()) as Record<string, unknown>) : res.status;
}

beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'topke-serve-'));
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('topke serve', () => {
  it('listens on 127.0.0.1:18080 by default, with a generated token printed and in the URL', async () => {
    const data = join(dir, 'default-port');
    server = await startServe(['--data-dir', data], { TOPKE_API_TOKEN: undefined });
    expect(server.origin).toBe('http://127.0.0.1:18080/');
    const token = new URL(server.url).hash.replace('#token=', '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(server.stderr()).toContain(`API token: ${token}`);
    expect(await list(server.origin, token)).toMatchObject({ scode: 0, data: { total_count: 0 } });
    expect(await list(server.origin, 'not-the-token')).toBe(401);
  });

  it('takes the token from TOPKE_API_TOKEN and does not print it on stderr', async () => {
    server = await startServe(['--port', '0', '--data-dir', join(dir, 'env-token')], {
      TOPKE_API_TOKEN: 'from-the-environment',
    });
    expect(server.url).toMatch(/#token=from-the-environment$/);
    expect(server.stderr()).not.toContain('from-the-environment');
    expect(await list(server.origin, 'from-the-environment')).toMatchObject({ scode: 0 });
  });

  it('stops on SIGINT: ends the event streams, answers what was running, says so in one line', async () => {
    server = await startServe(['--port', '0', '--data-dir', join(dir, 'sigint')], {
      TOPKE_API_TOKEN: 't',
    });
    const headers = { authorization: 'Bearer t' };
    // An open event stream, as the app in a browser keeps, and a kept-alive connection.
    const events = await fetch(`${server.origin}v1/topke/events`, { headers });
    const stream = events.body!.getReader();
    await stream.read();
    expect(await list(server.origin, 't')).toMatchObject({ scode: 0 });
    // A scan of empty addresses that the request waits for, under way when the signal comes.
    const scan = fetch(`${server.origin}v1/topke/cluster/host/scan`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ cidr: '198.19.4.0/22', wait: true }),
    });
    let text = '';
    while (!text.includes('"kind":"scan"'))
      text += new TextDecoder().decode((await stream.read()).value);

    const exit = await server.signal('SIGINT');

    expect(exit, server.stderr()).toEqual({ code: 0, signal: null });
    const answer = (await (await scan).json()) as { scode: number; data: { state: string } };
    expect(answer).toMatchObject({ scode: 0, data: { state: 'cancelled' } });
    while (!(await stream.read()).done);
    const lines = server.stderr().trim().split('\n');
    expect(lines.filter((l) => /stop|cancel/i.test(l))).toEqual([
      'topke serve stopped (SIGINT): cancelled 1 scan',
    ]);
  }, 30_000);

  it('stops on SIGTERM with nothing running, in one line', async () => {
    server = await startServe(['--port', '0', '--data-dir', join(dir, 'sigterm')], {
      TOPKE_API_TOKEN: 't',
    });
    expect(await server.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('topke serve stopped (SIGTERM)\n');
  }, 30_000);

  it('keeps its database in TOPKE_DATA_DIR, else the XDG data folder; --data-dir wins', async () => {
    const xdg = join(dir, 'xdg');
    const cases: [string[], Record<string, string | undefined>, string][] = [
      [[], { TOPKE_DATA_DIR: join(dir, 'env-data'), XDG_DATA_HOME: xdg }, join(dir, 'env-data')],
      [[], { TOPKE_DATA_DIR: undefined, XDG_DATA_HOME: xdg }, join(xdg, 'topke-installer')],
      [['--data-dir', join(dir, 'flag')], { TOPKE_DATA_DIR: join(dir, 'no') }, join(dir, 'flag')],
    ];
    for (const [args, env, folder] of cases) {
      server = await startServe(['--port', '0', ...args], { TOPKE_API_TOKEN: 't', ...env });
      expect(existsSync(join(folder, 'topke.sqlite'))).toBe(true);
      await server.stop();
    }
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });
});
