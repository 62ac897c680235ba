// A stand-in for a Kubernetes API server on 127.0.0.1: HTTPS with its own serving certificate,
// client certificates checked against a CA (mutual TLS), bearer tokens and basic auth, and
// /version answered as kube-apiserver answers it. Anonymous requests get 401, as with
// --anonymous-auth=false, so that a test proves which credential was used.
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface ApiServerOptions {
  cert: string;
  key: string;
  /** Client certificates signed by this CA authenticate (by their common name). */
  clientCa?: string;
  tokens?: string[];
  basic?: { user: string; password: string }[];
  anonymous?: boolean;
  gitVersion?: string;
  /** A fixed port (default: any free one). */
  port?: number;
}

export interface SeenRequest {
  path: string;
  auth: 'certificate' | 'token' | 'basic' | 'anonymous' | 'refused';
  user: string;
}

export interface StandInApiServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

function versionBody(gitVersion: string): string {
  const [, major = '1', minor = '0'] = /^v(\d+)\.(\d+)/.exec(gitVersion) ?? [];
  return JSON.stringify({
    major,
    minor,
    gitVersion,
    gitCommit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    gitTreeState: 'clean',
    buildDate: '2024-06-11T20:20:00Z',
    goVersion: 'go1.22.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  });
}

const UNAUTHORIZED = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
});

function whoIs(req: IncomingMessage, opts: ApiServerOptions): Omit<SeenRequest, 'path'> {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const cn = socket.getPeerCertificate().subject.CN;
    return { auth: 'certificate', user: (Array.isArray(cn) ? cn[0] : cn) ?? '' };
  }
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Bearer ') && opts.tokens?.includes(header.slice(7)))
    return { auth: 'token', user: `token:${header.slice(7, 13)}` };
  if (header.startsWith('Basic ')) {
    const [user = '', password = ''] = Buffer.from(header.slice(6), 'base64').toString().split(':');
    if (opts.basic?.some((b) => b.user === user && b.password === password))
      return { auth: 'basic', user };
  }
  if (opts.anonymous && !header) return { auth: 'anonymous', user: 'system:anonymous' };
  return { auth: 'refused', user: '' };
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

/** Starts the stand-in on an ephemeral port of 127.0.0.1. */
export async function startApiServer(opts: ApiServerOptions): Promise<StandInApiServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createHttpsServer(
    {
      cert: opts.cert,
      key: opts.key,
      ca: opts.clientCa,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const who = whoIs(req, opts);
      requests.push({ path: req.url ?? '', ...who });
      if (who.auth === 'refused') return answer(res, 401, UNAUTHORIZED);
      if (req.url === '/version')
        return answer(res, 200, versionBody(opts.gitVersion ?? 'v1.30.2'));
      answer(res, 404, '{"kind":"Status","code":404}');
    },
  );
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port of 127.0.0.1 where nothing listens: connections are refused at once. */
export async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
