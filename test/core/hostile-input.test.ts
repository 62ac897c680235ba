import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../main/context.js';
import { openSecretBox } from '../../main/store/secrets.js';
import { TopkeError } from '../../main/contract/errors.js';
import { serveProduct, type ServedProduct } from '../support/http-api.js';

// Requests no client of ours sends, but any web page open in the engineer's browser can: none of
// them may stop the server (and the deploys it runs), with or without the token.

const TOKEN = 'hostile-token-0123456789';
let served: ServedProduct;
let port: number;

beforeAll(async () => {
  served = await serveProduct(TOKEN, true);
  port = served.http.port;
});

afterAll(() => served.discard());

/** Sends bytes as they are (fetch would normalise the request line) and returns the status line
 * and the body. */
function raw(request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

async function stillServes(): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/topke/cluster/list`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(200);
  expect((await res.json()).scode).toBe(0);
}

describe('HTTP transport under hostile requests', () => {
  it('answers a page path with bad percent-encoding with 400 and keeps serving', async () => {
    for (const path of ['/%E0%A4%A', '/%C0', '/assets/%']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toEqual({ code: 'invalid_field', field: '(url)' });
      expect(body.message).toContain('percent-encoding');
      expect(body.message_cn).toContain('百分号编码');
    }
    await stillServes();
  });

  it('answers a request target that is not a URL with 400 and keeps serving', async () => {
    const res = await raw('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.field).toBe('(url)');
    await stillServes();
  });

  it('answers a wrong method on an API path with 405 and the methods it takes', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/topke/cluster/vip/test`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const body = await res.json();
    expect(body).toMatchObject({ scode: 405, desc: 'method_not_allowed', data: null });
    expect(body.error).toEqual({ code: 'method_not_allowed', field: '(method)' });
    expect(body.message).toBe('DELETE is not allowed on /v1/topke/cluster/vip/test; use POST');
    expect(body.message_cn).toBe('/v1/topke/cluster/vip/test 不支持 DELETE 方法，请使用 POST');
  });

  it('names every method a route takes when a GET reaches a POST-only one', async () => {
    const get = await fetch(`http://127.0.0.1:${port}/v1/topke/cluster/delete`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({
      scode: 405,
      message: 'GET is not allowed on /v1/topke/cluster/delete; use POST',
      message_cn: '/v1/topke/cluster/delete 不支持 GET 方法，请使用 POST',
    });
    const put = await fetch(`http://127.0.0.1:${port}/v1/topke/cluster/host/scan`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await put.json()).message).toBe(
      'PUT is not allowed on /v1/topke/cluster/host/scan; use GET or POST',
    );
  });

  it('answers an unknown API path with 404', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/topke/cluster/nope`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('answers a body over 16 MiB with 413 and keeps serving', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/topke/cluster/add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: `{"kube_config_data":"${'A'.repeat(17 * 1024 * 1024)}"}`,
    }).catch((err: unknown) => err as Error);
    // The server may close the connection before the client has sent everything; either way it
    // must not have read the whole body into a cluster.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect((await res.json()).error.field).toBe('(body)');
    }
    await stillServes();
    const list = await served.services.api.clusterList({});
    expect(list.total_count).toBe(0);
  });
});

describe('the secret key file', () => {
  it('a replaced key gives an error that names the key file and the way out', () => {
    const data = mkdtempSync(join(tmpdir(), 'topke-key-'));
    try {
      const sealed = openSecretBox(data).seal('s3cret-password');
      rmSync(join(data, 'secret.key'));
      const err = (() => {
        try {
          openSecretBox(data).open(sealed);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(TopkeError);
      const e = err as TopkeError;
      expect(e.message).toContain(`${join(data, 'secret.key')}`);
      expect(e.message).toContain('Restore the original secret.key');
      expect(e.messageCn).toContain('secret.key');
      expect(e.message).not.toContain('s3cret-password');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('a data folder whose key went missing warns when it is opened, and only then', () => {
    const data = mkdtempSync(join(tmpdir(), 'topke-key-'));
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as never;
    try {
      const first = createContext(data, { logToFile: false });
      first.db
        .prepare(
          'INSERT INTO registries (uuid, address, password_enc, created_at) VALUES (?,?,?,?)',
        )
        .run('r1', 'reg.lab', first.secrets.seal('pw'), Date.now());
      first.db.close();
      createContext(data, { logToFile: false }).db.close();
      expect(written.join('')).toBe('');

      rmSync(join(data, 'secret.key'));
      createContext(data, { logToFile: false }).db.close();
      expect(written.join('')).toContain(`${join(data, 'secret.key')} was missing`);
    } finally {
      process.stderr.write = write;
      rmSync(data, { recursive: true, force: true });
    }
  });
});
