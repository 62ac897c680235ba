// A throw-away certificate authority for the tests, made with the openssl command line: EC P-256
// keys (fast), a CA, server certificates for chosen names, client certificates for chosen users.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  ca: KeyPair;
  server(names: { dns?: string[]; ips?: string[] }): KeyPair;
  client(commonName: string, organization?: string): KeyPair;
  /** A CA nobody trusts: its certificates must be refused. */
  otherCa(): KeyPair;
  cleanup(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): KeyPair {
  openssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return read(dir, name);
}

function read(dir: string, name: string): KeyPair {
  return {
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
  };
}

let serial = 0;

function sign(dir: string, ca: string, name: string, subject: string, ext: string): KeyPair {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    String(1000 + serial),
    '-days',
    '1',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  ]);
  return read(dir, name);
}

/** Makes a CA in a temporary folder; call cleanup() when done. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'topke-pki-'));
  const ca = makeCa(dir, 'ca');
  return {
    dir,
    ca,
    server({ dns = [], ips = [] }) {
      const name = `server${++serial}`;
      const alt = [...dns.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)].join(',');
      return sign(
        dir,
        'ca',
        name,
        `/CN=${dns[0] ?? ips[0] ?? 'server'}`,
        `subjectAltName=${alt}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n`,
      );
    },
    client(commonName, organization) {
      const name = `client${++serial}`;
      const subject = `${organization ? `/O=${organization}` : ''}/CN=${commonName}`;
      return sign(
        dir,
        'ca',
        name,
        subject,
        'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n',
      );
    },
    otherCa() {
      return makeCa(dir, `other${++serial}`);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
