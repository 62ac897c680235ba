import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type IncomingMessage } from 'node:http';
import type { ServiceContext } from '../../main/context.js';
import { serveProduct, type ServedProduct } from '../support/http-api.js';

const TOKEN = 'test-token-0123456789';
let served: ServedProduct;
let ctx: ServiceContext;
let base: string;

beforeAll(async () => {
  served = await serveProduct(TOKEN, true);
  ({ ctx } = served);
  base = served.http.base;
});

afterAll(() => served.discard());

function call(path: string, init: RequestInit = {}, token = TOKEN) {
  return fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
}

describe('HTTP transport', () => {
  it('refuses a request without the token, with the envelope', async () => {
    const res = await call('/v1/topke/cluster/list', { method: 'POST', body: '{}' }, 'wrong');
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toMatchObject({ scode: 401, data: null, error: { code: 'unauthorized' } });
    expect(body.message_cn).toContain('令牌');
  });

  it('takes the Bearer scheme in any case, and still only the right token', async () => {
    const send = (authorization: string) =>
      fetch(`${base}/v1/topke/cluster/list`, {
        method: 'POST',
        headers: { authorization },
        body: '{}',
      });
    for (const scheme of ['bearer', 'BEARER', 'BeArEr'])
      expect((await send(`${scheme} ${TOKEN}`)).status, scheme).toBe(200);
    for (const wrong of [`bearer ${TOKEN}x`, `bearer${TOKEN}`, `Basic ${TOKEN}`, TOKEN])
      expect((await send(wrong)).status, wrong).toBe(401);
  });

  it('accepts the spec examples trailing commas and answers a field error in both languages', async () => {
    const res = await call('/v1/topke/cluster/vip/test', {
      method: 'POST',
      body: '{\n "vip": "198.18.0.300",\n "port": 8443,\n}',
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.scode).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_field', field: 'vip' });
    expect(body.message).toBe('vip: is not an IPv4 address (got 198.18.0.300)');
    expect(body.message_cn).toContain('不是有效的 IPv4 地址');
    expect(body).toHaveProperty('stack', null);
    expect(body).toHaveProperty('desc', 'invalid_field');
  });

  it('reads a GET request from the query string', async () => {
    const res = await call('/v1/topke/cluster/deploy/status/inspect?uuid=not%20a%20uuid');
    const body = await res.json();
    expect(body.error).toEqual({ code: 'invalid_field', field: 'uuid' });
  });

  it('reads numeric query parameters alike on GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      const init = method === 'POST' ? { method, body: '{}' } : { method };
      const ok = await call('/v1/topke/cluster/list?limit=1&offset=0', init);
      expect(ok.status).toBe(200);
      expect((await ok.json()).scode).toBe(0);
      const bad = await (await call('/v1/topke/cluster/list?limit=0x10', init)).json();
      expect(bad.error).toEqual({ code: 'invalid_field', field: 'limit' });
      expect(bad.message).toBe('limit: must be a whole number between 1 and 100000 (got 0x10)');
      expect(bad.message_cn).toBe('limit：应为 1 到 100000 之间的整数（实际为 0x10）');
      const huge = await (
        await call('/v1/topke/cluster/list?limit=99999999999999999999', init)
      ).json();
      expect(huge.message).toBe(
        'limit: must be a whole number between 1 and 100000 (got 99999999999999999999)',
      );
    }
  });

  it('refuses a parameter given twice, or both in the query string and in the body', async () => {
    const twice = await (await call('/v1/topke/cluster/list?limit=5&limit=6')).json();
    expect(twice).toMatchObject({
      scode: 400,
      error: { code: 'invalid_field', field: 'limit' },
      message: 'limit: is given twice in the query string: keep one',
      message_cn: 'limit：在查询字符串中出现了两次：请只保留一个',
    });
    const init = { method: 'POST', body: '{"limit": 6}' };
    const both = await (await call('/v1/topke/cluster/list?limit=5', init)).json();
    expect(both).toMatchObject({
      error: { code: 'invalid_field', field: 'limit' },
      message: 'limit: is given both in the query string and in the body: keep one',
      message_cn: 'limit：同时出现在查询字符串和请求体中：请只保留一个',
    });
    const proto = await (await call('/v1/topke/cluster/list?__proto__=x')).json();
    expect(proto.error).toEqual({ code: 'invalid_field', field: '__proto__' });
    expect(proto.message).toBe('__proto__: is not a field of this request');
  });

  it('refuses a number written other than JSON writes it, naming the field', async () => {
    const res = await call('/v1/topke/cluster/vip/test', {
      method: 'POST',
      body: '{"vip": "198.18.0.15", "port": 0x20FB}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      scode: 400,
      error: { code: 'invalid_field', field: 'port' },
      message: 'port: is written 0x20FB, a hexadecimal number; write it in decimal: 8443',
      message_cn: 'port：写作 0x20FB（十六进制数）；请写成十进制：8443',
    });
    for (const [body, field] of [
      ['{"limit": Infinity}', 'limit'],
      ['{"limit": NaN}', 'limit'],
      ['{"limit": 010}', 'limit'],
    ]) {
      const refused = await call('/v1/topke/cluster/list', { method: 'POST', body });
      expect((await refused.json()).error, body).toEqual({ code: 'invalid_field', field });
    }
  });

  it('takes comments, and refuses unquoted keys and single quotes, naming (body)', async () => {
    const ok = await call('/v1/topke/cluster/list', {
      method: 'POST',
      body: '{\n  // the first page\n  "limit": 10, /* of ten */\n}',
    });
    expect((await ok.json()).scode).toBe(0);
    for (const body of ['{limit: 10}', "{'limit': 10}", '{"sort_by": \'x\'}']) {
      const refused = await (await call('/v1/topke/cluster/list', { method: 'POST', body })).json();
      expect(refused.error, body).toEqual({ code: 'invalid_field', field: '(body)' });
      expect(refused.message, body).toMatch(/^\(body\): is not valid JSON: .*double quotes/);
      expect(refused.message_cn, body).toMatch(/^\(body\)：不是有效的 JSON：.*双引号/);
    }
  });

  it('reads a GET request from a JSON body too, as the spec examples send it', async () => {
    const json = '{"uuid": "bad uuid",}';
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/v1/topke/cluster/deploy/status/inspect`, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(json);
    });
    expect(JSON.parse(body).message).toBe('uuid: is not a UUID (got bad uuid)');
  });

  it('says which route does not exist', async () => {
    const res = await call('/v1/topke/cluster/nope', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect((await res.json()).message).toBe('no operation POST /v1/topke/cluster/nope');
  });

  it('answers malformed JSON with a clear error', async () => {
    const res = await call('/v1/topke/cluster/list', { method: 'POST', body: '{"sort_by":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_field', field: '(body)' },
      message: '(body): is not valid JSON: it ends too early (line 1, column 12)',
      message_cn: '(body)：不是有效的 JSON：内容提前结束（第 1 行第 12 列）',
    });
  });

  it('serves the app with a strict content security policy and no token needed', async () => {
    const res = await fetch(`${base}/history/deep/link`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>app</title>');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('streams progress events to a subscriber', async () => {
    const controller = new AbortController();
    const res = await call('/v1/topke/events', { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ctx.events.emit({ kind: 'log', uuid: 'u1', line: 'hello' });
    let text = '';
    while (!text.includes('hello')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('data: {"kind":"log","uuid":"u1","line":"hello"}');
    controller.abort();
  });

  it('lets go of a subscriber that reads nothing, instead of keeping its events', async () => {
    const url = new URL('/v1/topke/events', base);
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      request(url, { headers: { authorization: `Bearer ${TOKEN}` } }, resolve)
        .on('error', reject)
        .end(),
    );
    res.pause();
    const line = 'x'.repeat(64 * 1024);
    const count = 1000;
    for (let sent = 1; sent <= count; sent += 1) {
      ctx.events.emit({ kind: 'log', uuid: 'slow', line });
      if (sent % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Read now: a subscriber that was let go ends after what the service had sent and the
    // sockets held; one that was kept would get every event and stay open.
    const received = await new Promise<{ bytes: number; ended: boolean }>((resolve) => {
      let bytes = 0;
      const done = (ended: boolean) => resolve({ bytes, ended });
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= count * line.length) done(false);
      });
      res.on('close', () => done(true)).on('error', () => undefined);
      res.resume();
    });
    expect(received.ended).toBe(true);
    expect(received.bytes).toBeLessThan(32 * 1024 * 1024);
    res.destroy();
  });
});
