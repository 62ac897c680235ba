import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../main/api.js';
import type { ProgressEvent } from '../../main/contract/operations.js';
import type { HostScanResult } from '../../main/contract/results.js';
import { createContext, type ServiceContext } from '../../main/context.js';
import { createLab, type Lab } from '../lab/lab.js';
import { startHttpApi, type HttpApi } from '../support/http-api.js';

const TOKEN = 'scan-http-token-0123456789';
const PREFIX = '/v1/topke/cluster';

/** The envelope as it arrives: fields read by the assertions. */
interface Answer {
  scode: number;
  message_cn: string;
  data: (HostScanResult & { Status: { code: number } }) | null;
}

describe('host scan and VIP test over the HTTP API', () => {
  let lab: Lab;
  let dir: string;
  let ctx: ServiceContext;
  let services: Services;
  let http: HttpApi;

  const send = (method: string, path: string, body?: string) =>
    http.send<Answer>(method, path, body);

  /** Collects progress events from the SSE stream until `done` says enough. */
  function events(done: (seen: ProgressEvent[]) => boolean): Promise<ProgressEvent[]> {
    return new Promise((resolve, reject) => {
      const seen: ProgressEvent[] = [];
      const req = request(
        {
          host: '127.0.0.1',
          port: http.port,
          path: '/v1/topke/events',
          headers: { authorization: `Bearer ${TOKEN}` },
        },
        (res) => {
          let buffer = '';
          res.on('data', (d: Buffer) => {
            buffer += d.toString();
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const chunk = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (chunk.startsWith('data: '))
                seen.push(JSON.parse(chunk.slice(6)) as ProgressEvent);
            }
            if (done(seen)) {
              req.destroy();
              resolve(seen);
            }
          });
        },
      );
      req.on('error', (err) => (seen.length ? undefined : reject(err)));
      req.end();
    });
  }

  beforeAll(async () => {
    lab = createLab(38, [
      { octet: 10, hostname: 'http-a', rootPassword: 'x' },
      { octet: 11, service: 'none' },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'topke-scan-http-'));
    process.env.TOPKE_LOG_LEVEL = 'warn';
    ctx = createContext(dir, { logToFile: false });
    services = createServices(ctx);
    http = await startHttpApi(services, ctx, TOKEN);
  });

  afterAll(async () => {
    await http?.close();
    await services?.close();
    ctx?.db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    lab?.teardown();
  });

  it('answers the spec’s GET with a JSON body (trailing comma included) in the spec’s shape', async () => {
    const res = await send(
      'GET',
      `${PREFIX}/host/scan`,
      '{"begin": "198.18.38.9", "end": "198.18.38.12",}',
    );
    expect(res.json).toMatchObject({
      scode: 0,
      message: '',
      data: { Status: { code: 0 }, total_count: 2 },
    });
    expect(res.json.data!.hosts_info.map((h) => h.ip)).toEqual(['198.18.38.10', '198.18.38.11']);
    expect(Object.keys(res.json.data!.hosts_info[0]!)).toEqual(
      expect.arrayContaining(['ip', 'host_name', 'version', 'host_info']),
    );
  });

  it('takes lists from the query string', async () => {
    const res = await send(
      'GET',
      `${PREFIX}/host/scan?targets=198.18.38.10,198.18.38.20-21&ssh_ports=22,2222`,
    );
    expect(res.json.data).toMatchObject({ addresses: 3, total_count: 1, state: 'done' });
  });

  it('follows a running scan by its events and status, and cancels it', async () => {
    const scan_uuid = '5ca9e000-0000-4000-8000-000000000038';
    const stream = events((seen) =>
      seen.some((e) => e.kind === 'scan' && e.scan_uuid === scan_uuid && e.finished === true),
    );
    const started = await send(
      'POST',
      `${PREFIX}/host/scan`,
      JSON.stringify({ targets: ['198.19.0.0/22'], wait: false, scan_uuid }),
    );
    expect(started.json.data).toMatchObject({ scan_uuid, state: 'running', addresses: 1022 });
    const status = await send('GET', `${PREFIX}/host/scan/status?scan_uuid=${scan_uuid}`);
    expect(status.json.data!.state).toBe('running');
    const cancelled = await send(
      'POST',
      `${PREFIX}/host/scan/cancel`,
      JSON.stringify({ scan_uuid }),
    );
    expect(cancelled.json.data).toMatchObject({ scan_uuid, state: 'cancelled' });
    const last = (await stream)
      .filter((e) => e.kind === 'scan' && e.scan_uuid === scan_uuid)
      .at(-1);
    expect(last).toMatchObject({ finished: true, state: 'cancelled', total: 1022 });
  });

  it('answers a free VIP with data null and a used one with vip_in_use', async () => {
    const free = await send(
      'POST',
      `${PREFIX}/vip/test`,
      JSON.stringify({ vip: '198.18.38.99', port: 8443 }),
    );
    expect(free.json).toMatchObject({ scode: 0, data: null });
    const used = await send(
      'POST',
      `${PREFIX}/vip/test`,
      JSON.stringify({ vip: '198.18.38.10', port: 22 }),
    );
    expect(used.json).toMatchObject({
      scode: 409,
      data: null,
      error: { code: 'vip_in_use', field: 'vip' },
    });
    expect(used.json.message_cn).toContain('198.18.38.10');
  });
});
