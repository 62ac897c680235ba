import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { asTopkeError, invalidField, TopkeError } from '../contract/errors.js';
import { errorEnvelope, okEnvelope } from '../contract/envelope.js';
import { parseRequestJson } from '../contract/request-json.js';
import {
  API_PREFIX,
  OPERATIONS,
  type OperationName,
  type TopkeApi,
} from '../contract/operations.js';
import type { ProgressBus } from '../events.js';
import type { Logger } from '../log.js';

export interface HttpOptions {
  api: TopkeApi;
  events: ProgressBus;
  token: string;
  log: Logger;
  /** The built renderer, served at / (optional). */
  staticDir?: string;
}

const MAX_BODY = 16 * 1024 * 1024;

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const unauthorized = new TopkeError({
  code: 'unauthorized',
  message: 'missing or wrong API token: send "Authorization: Bearer <token>"',
  messageCn: 'API 令牌缺失或错误：请发送 “Authorization: Bearer <令牌>”',
});

const TOO_LARGE = invalidField('(body)', 'is larger than 16 MiB', '请求体超过 16 MiB');

const BAD_URL = invalidField(
  '(url)',
  'is malformed (bad percent-encoding or not a path)',
  '格式错误（百分号编码无效或不是路径）',
);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The token of an `Authorization: Bearer <token>` header; the scheme's name is
 * case-insensitive (RFC 9110, 11.1), so "bearer" and "BEARER" are the same scheme. */
function bearerToken(header: string): string {
  const match = /^bearer[ \t]+(.*)$/is.exec(header.trim());
  return match ? match[1]!.trim() : '';
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(bearerToken(req.headers.authorization ?? ''));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw TOO_LARGE;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Query values are strings; "true"/"false" become booleans so that GET and POST mean the same.
 * A parameter given twice is refused, as a key given twice in a body is: which one was meant is
 * not guessed. */
function queryObject(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of url.searchParams) {
    if (Object.hasOwn(out, key))
      throw invalidField(
        key,
        'is given twice in the query string: keep one',
        '在查询字符串中出现了两次：请只保留一个',
      );
    const value = text === 'true' ? true : text === 'false' ? false : text;
    // Defined, not assigned: a parameter "__proto__" stays a field, and is refused as unknown.
    Object.defineProperty(out, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

/** Fields that name a file on the machine the service runs on, for the desktop app and the
 * command line, where the engineer picked that file. Over HTTP they would let a client make the
 * service read any file it can (and give it back in the stored kubeconfig): refused. */
const LOCAL_ONLY: Partial<Record<OperationName, string[]>> = {
  clusterAdd: ['source_path'],
  kubeconfigInspect: ['source_path'],
};

function refuseLocalOnly(name: OperationName, input: unknown): void {
  for (const field of LOCAL_ONLY[name] ?? [])
    if ((input as Record<string, unknown>)[field] !== undefined)
      throw invalidField(
        field,
        'is not accepted over HTTP: the service would read files on its own disk by that path. Put the certificates and keys inline (the *-data fields) and leave source_path out, or import the file with "topke import FILE" or the desktop app',
        '不接受通过 HTTP 传入：服务会按该路径读取本机文件。请将证书和密钥内联（*-data 字段）并去掉 source_path，或使用 “topke import FILE” 或桌面应用导入该文件',
      );
}

/** The spec's examples carry trailing commas, and its GET requests carry JSON bodies: accept
 * both (parseRequestJson says what else a body may have). */
async function requestInput(req: IncomingMessage, url: URL): Promise<unknown> {
  const text = (await readBody(req)).trim();
  const query = queryObject(url);
  if (!text) return query;
  const body = parseRequestJson(text);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidField('(body)', 'must be a JSON object', '必须是 JSON 对象');
  }
  const both = Object.keys(query).find((key) => Object.hasOwn(body, key));
  if (both !== undefined)
    throw invalidField(
      both,
      'is given both in the query string and in the body: keep one',
      '同时出现在查询字符串和请求体中：请只保留一个',
    );
  return { ...query, ...(body as object) };
}

function findOperation(method: string, path: string): OperationName | undefined {
  for (const name of Object.keys(OPERATIONS) as OperationName[]) {
    const op = OPERATIONS[name];
    if (`${API_PREFIX}${op.path}` === path && (op.methods as readonly string[]).includes(method))
      return name;
  }
  return undefined;
}

/** Event bytes a subscriber may leave unread. One that reads nothing (a stalled tab, a laptop
 * asleep) is let go rather than kept in the service's memory: the renderer connects again and
 * reads the deploy status, which has the output it missed. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/** Streams progress events until the client goes, falls too far behind, or the server stops.
 * `streams` holds a way to end each open one, for the server's stop: a browser keeps its stream
 * open for as long as the page is. */
function serveEvents(
  req: IncomingMessage,
  res: ServerResponse,
  events: ProgressBus,
  streams: Set<() => void>,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const unsubscribe = events.subscribe((event) => {
    if (res.writableLength > MAX_UNREAD_BYTES) return drop();
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 15000);
  const forget = () => {
    clearInterval(ping);
    unsubscribe();
    streams.delete(end);
  };
  function drop(): void {
    forget();
    res.destroy();
  }
  // The server's stop: the stream's connection is not wanted for another request, so it ends
  // with the stream.
  function end(): void {
    forget();
    const socket = res.socket;
    res.end(() => socket?.end());
  }
  streams.add(end);
  req.on('close', forget);
  res.on('close', forget);
}

/** A known path asked with a method it does not answer: says the method used and those it takes. */
function methodNotAllowed(method: string, path: string, allowed: string[]): TopkeError {
  return new TopkeError({
    code: 'method_not_allowed',
    field: '(method)',
    message: `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
    messageCn: `${path} 不支持 ${method} 方法，请使用 ${allowed.join(' 或 ')}`,
  });
}

/** The methods that a known API path answers, for a 405; empty when the path is unknown. */
function allowedMethods(path: string): string[] {
  const ops = Object.values(OPERATIONS).filter((op) => `${API_PREFIX}${op.path}` === path);
  return [...new Set(ops.flatMap((op) => [...op.methods]))];
}

function serveStatic(res: ServerResponse, dir: string, path: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return send(res, 400, errorEnvelope(BAD_URL));
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  let file = join(dir, rel);
  if (!file.startsWith(dir + sep) && file !== dir) file = join(dir, 'index.html');
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Where a request goes: the URL is parsed from what the client sent, so it can be malformed. */
function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

export interface HttpServer extends Server {
  /** Stops taking connections, ends the event streams and idle keep-alive connections, and
   * closes each other connection once its answer is sent; resolves when none is left. The
   * answers still owed come as the services end their work (Services.close). */
  stop(): Promise<void>;
}

/** The headless transport: the spec's routes under /v1/topke/cluster, progress as server-sent
 * events at /v1/topke/events, and the built renderer at /. Loopback only; every API call needs the token. */
export function createHttpServer(options: HttpOptions): HttpServer {
  const { api, token, log } = options;
  const streams = new Set<() => void>();
  const unanswered = new Set<ServerResponse>();
  let stopping = false;
  const server = createServer((req, res) => {
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
    // Once stopping, an answer ends its connection rather than keep it alive.
    if (stopping) res.shouldKeepAlive = false;
    try {
      route(req, res);
    } catch (err) {
      // A defect in routing must not take the server (and the deploys it runs) down.
      log.error({ err }, 'request routing failed');
      if (!res.headersSent) send(res, 500, errorEnvelope(asTopkeError(err)));
      else res.destroy();
    }
  });
  const stop = (): Promise<void> => {
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of unanswered) if (!res.headersSent) res.shouldKeepAlive = false;
    for (const end of streams) end();
    server.closeIdleConnections();
    return closed;
  };
  return Object.assign(server, { stop });

  function route(req: IncomingMessage, res: ServerResponse): void {
    const url = parseUrl(req.url);
    if (!url) return send(res, 400, errorEnvelope(BAD_URL));
    const method = req.method ?? 'GET';
    const isApi = url.pathname.startsWith('/v1/');
    if (!isApi) {
      if (options.staticDir && (method === 'GET' || method === 'HEAD'))
        return serveStatic(res, options.staticDir, url.pathname);
      return send(
        res,
        404,
        errorEnvelope(
          new TopkeError({ code: 'not_found', message: 'no such page', messageCn: '页面不存在' }),
        ),
      );
    }
    if (!tokenMatches(req, token)) return send(res, 401, errorEnvelope(unauthorized));
    if (url.pathname === '/v1/topke/events' && method === 'GET')
      return serveEvents(req, res, options.events, streams);
    const name = findOperation(method, url.pathname);
    const allowed = name ? [] : allowedMethods(url.pathname);
    if (allowed.length > 0) {
      res.setHeader('allow', allowed.join(', '));
      return send(res, 405, errorEnvelope(methodNotAllowed(method, url.pathname, allowed)));
    }
    if (!name) {
      const err = new TopkeError({
        code: 'not_found',
        message: `no operation ${method} ${url.pathname}`,
        messageCn: `不存在的接口 ${method} ${url.pathname}`,
      });
      return send(res, 404, errorEnvelope(err));
    }
    void (async () => {
      try {
        const input = await requestInput(req, url);
        refuseLocalOnly(name, input);
        const result = await (api[name] as (i: unknown) => Promise<object | null>)(input);
        send(res, 200, okEnvelope(result));
      } catch (err) {
        const e = asTopkeError(err);
        if (e.code === 'internal') log.error({ operation: name, err }, 'request failed: defect');
        else log.debug({ operation: name, code: e.code, field: e.field }, 'request failed');
        const status = err === TOO_LARGE ? 413 : e.scode >= 400 && e.scode < 600 ? e.scode : 500;
        send(res, status, errorEnvelope(e));
        if (err === TOO_LARGE) req.destroy();
      }
    })();
  }
}
