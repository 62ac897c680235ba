// The product's HTTP transport on a free loopback port, over services a test made, and requests
// sent with node:http, which (unlike fetch) sends a GET with a JSON body as the spec's examples do.
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Services } from '../../main/api.js';
import type { ServiceContext } from '../../main/context.js';
import { createHttpServer } from '../../main/transport/http.js';

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
  /** Sends `body` (text as written, or nothing) to `path` (query string included). */
  send<A = Answer>(
    method: string,
    path: string,
    body?: string,
  ): Promise<{ status: number; json: A }>;
  close(): Promise<void>;
}

export async function startHttpApi(
  services: Services,
  ctx: ServiceContext,
  token = 'spec-http-token-0123456789',
): Promise<HttpApi> {
  const server: Server = createHttpServer({
    api: services.api,
    events: ctx.events,
    token,
    log: ctx.log,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    send: (method, path, body) => sendOnce(port, token, method, path, body),
    close: () => new Promise((r) => server.close(() => r())),
  };
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
