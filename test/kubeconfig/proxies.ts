// Small forwarding proxies on 127.0.0.1 for the proxy-url cases: an HTTP CONNECT proxy and a
// SOCKS5 proxy (no authentication). Each records the targets it was asked for.
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TestProxy {
  url: string;
  targets: string[];
  close(): Promise<void>;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

export async function startConnectProxy(): Promise<TestProxy> {
  const targets: string[] = [];
  const server = createHttpServer((_req, res) => res.writeHead(405).end());
  const sockets = track(server);
  server.on('connect', (req, client: Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    const [host = '', port = '0'] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      pipeBoth(client, upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, targets, close: closer(server, sockets) };
}

/** Reads exactly `n` bytes from a socket in paused mode. */
function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tryRead = () => {
      const chunk = socket.read(n) as Buffer | null;
      if (chunk) {
        socket.off('readable', tryRead);
        resolve(chunk);
      }
    };
    socket.on('readable', tryRead);
    socket.once('error', reject);
    tryRead();
  });
}

async function socksTarget(client: Socket): Promise<{ host: string; port: number }> {
  const [, methods = 0] = await readBytes(client, 2);
  await readBytes(client, methods);
  client.write(Buffer.from([5, 0]));
  const head = await readBytes(client, 4);
  const type = head[3];
  let host: string;
  if (type === 1) host = [...(await readBytes(client, 4))].join('.');
  else if (type === 3)
    host = (await readBytes(client, (await readBytes(client, 1))[0]!)).toString();
  else throw new Error('unsupported address type');
  const port = (await readBytes(client, 2)).readUInt16BE(0);
  return { host, port };
}

export async function startSocksProxy(): Promise<TestProxy> {
  const targets: string[] = [];
  const server = createServer((client) => {
    client.on('error', () => client.destroy());
    void socksTarget(client).then(
      ({ host, port }) => {
        targets.push(`${host}:${port}`);
        const upstream = connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          pipeBoth(client, upstream);
        });
        upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
      },
      () => client.destroy(),
    );
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `socks5://127.0.0.1:${port}`, targets, close: closer(server, sockets) };
}
