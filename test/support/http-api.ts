// The product's HTTP transport on a free loopback port, over services a test made, and requests
// sent with node:http, which (unlike fetch) sends a GET with a JSON body as the spec's examples do.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Services } from '../../main/api.js';
import type { ServiceContext } from '../../main/context.js';
import { createHttpServer } from '../../main/transport/http.js';
import { removeDir, startProduct, type Product } from '../deploy/harness.js';

/** The envelope as it arrives. */
export interface Answer {
  scode: number;
  desc: string;
  message: string;
  message_cn: string;
  stack: null;
  data: Record<string, unknown> | null;
  error?: { code: string; field?: string };
}

export interface HttpApi {
  /** The loopback port it listens on, and the token it takes. */
  port: number;
  token: string;
  /** `http://127.0.0.1:<port>`, for fetch and the renderer's client. */
  base: string;
  /** Sends `body` (text as written, or nothing) to `path` (query string included). */
  send<A = Answer>(
    method: string,
    path: string,
    body?: string,
  ): Promise<{ status: number; json: A }>;
  /** Stops listening, dropping connections still open (an event stream a test left). */
  close(): Promise<void>;
}

/** Serves `services` on a free loopback port; with `staticDir`, also the pages in it. */
export async function startHttpApi(
  services: Services,
  ctx: ServiceContext,
  token = 'spec-http-token-0123456789',
  staticDir?: string,
): Promise<HttpApi> {
  const server: Server = createHttpServer({
    api: services.api,
    events: ctx.events,
    token,
    log: ctx.log,
    staticDir,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    base: `http://127.0.0.1:${port}`,
    send: (method, path, body) => sendOnce(port, token, method, path, body),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A product over a fresh data folder, served over HTTP. */
export interface ServedProduct extends Product {
  http: HttpApi;
  /** Stops the server, closes the product and removes its folders. */
  discard(): Promise<void>;
}

/** Starts a product and serves it with `token`; with `withPages`, also a static folder holding
 * one index.html, as `topke serve` serves the renderer's build. */
export async function serveProduct(token: string, withPages = false): Promise<ServedProduct> {
  const dir = mkdtempSync(join(tmpdir(), 'topke-served-'));
  const staticDir = withPages ? writeIndexPage(join(dir, 'static')) : undefined;
  const product = startProduct(join(dir, 'data'));
  const http = await startHttpApi(product.services, product.ctx, token, staticDir);
  return {
    ...product,
    http,
    async discard() {
      await http.close();
      await product.close();
      removeDir(dir);
    },
  };
}

function writeIndexPage(staticDir: string): string {
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  return staticDir;
}

function sendOnce<A>(
  port: number,
  token: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: A }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          // A GET has no body framing by default: say how long it is.
          ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as A }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
