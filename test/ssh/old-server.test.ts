import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshFixture, sshKeygen, tempDir, type KeyPair, type SshFixture } from './helpers.js';

// ssh2 is CommonJS: Node's ESM loader sees only some of its names.
const { Server, utils } = ssh2;

/** Makes an ssh2 server connection behave like OpenSSH before 7.2: no EXT_INFO, so the client
 * learns of no rsa-sha2 signature algorithms. ssh2 offers no option for it; its key exchange
 * state is intercepted instead, before the client's KEXINIT arrives. */
function withoutExtInfo(conn: Connection): void {
  const protocol = (conn as unknown as { _protocol: Record<string, unknown> })._protocol;
  let kex: object | undefined;
  Object.defineProperty(protocol, '_kex', {
    configurable: true,
    get: () => kex,
    set: (value: object | undefined) => {
      kex = value;
      if (value)
        Object.defineProperty(value, 'remoteExtInfoEnabled', { get: () => false, set: () => {} });
    },
  });
}

describe('an old server that knows only ssh-rsa signatures', () => {
  let fx: SshFixture;
  let server: InstanceType<typeof ssh2.Server>;
  let port: number;
  let key: KeyPair;
  const hashes: Array<string | undefined> = [];

  beforeAll(async () => {
    key = sshKeygen(tempDir(), 'id_old', 'rsa', ['-b', '2048']);
    const allowed = utils.parseKey(key.publicKey);
    if (allowed instanceof Error) throw allowed;
    const hostKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    });
    server = new Server({ hostKeys: [hostKey] }, (conn) => {
      withoutExtInfo(conn);
      conn.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
        if (!ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
        if (!ctx.signature) return ctx.accept();
        hashes.push(ctx.hashAlgo);
        const sha1 = ctx.hashAlgo === undefined;
        if (sha1 && allowed.verify(ctx.blob!, ctx.signature, 'sha1') === true) return ctx.accept();
        ctx.reject(['publickey']);
      });
      conn.on('ready', () => {
        conn.on('session', (accept) => {
          accept().on('exec', (acceptExec) => {
            const stream = acceptExec();
            stream.write('old server\n');
            stream.exit(0);
            stream.end();
          });
        });
      });
      conn.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    fx = createSshFixture();
  });
  afterAll(async () => {
    await fx?.cleanup();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('logs in with an RSA key signed with ssh-rsa (SHA-1)', async () => {
    const session = await fx.pool.session({
      host: '127.0.0.1',
      port,
      user: 'root',
      privateKey: key.privateKey,
    });
    expect(await session.exec('anything')).toEqual({ code: 0, stdout: 'old server\n', stderr: '' });
    expect(hashes).toEqual([undefined]);
  });
});
