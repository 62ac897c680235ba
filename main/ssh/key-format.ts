/** What a private key's text says about itself, read before any connection is made. */
export interface KeyFormat {
  /** Shown to the engineer: "OpenSSH", "PEM (PKCS#1/SEC1)", "PKCS#8 PEM", "PuTTY PPK v2"... */
  name: string;
  family: 'openssh' | 'pem' | 'pkcs8' | 'ppk' | 'unknown';
  encrypted: boolean;
  /** Set when the format is known but cannot be used: [English, Chinese]. */
  unsupported?: [string, string];
}

const OPENSSH = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/;
const PEM_LEGACY = /-----BEGIN (RSA|DSA|EC) PRIVATE KEY-----/;
const PPK = /^PuTTY-User-Key-File-(\d+): *(\S+)/m;

/** Detects the private key format and whether it is encrypted, from the text alone. */
export function detectKeyFormat(text: string): KeyFormat {
  const openssh = OPENSSH.exec(text);
  if (openssh)
    return { name: 'OpenSSH', family: 'openssh', encrypted: opensshEncrypted(openssh[1]!) };
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    return { name: 'PKCS#8 PEM', family: 'pkcs8', encrypted: true };
  }
  if (text.includes('-----BEGIN PRIVATE KEY-----')) {
    return { name: 'PKCS#8 PEM', family: 'pkcs8', encrypted: false };
  }
  const pem = PEM_LEGACY.exec(text);
  if (pem) {
    const encrypted = /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text);
    return { name: `PEM (${pem[1]})`, family: 'pem', encrypted };
  }
  const ppk = PPK.exec(text);
  if (ppk) return ppkFormat(text, Number(ppk[1]), ppk[2]!);
  return { name: 'unknown', family: 'unknown', encrypted: false, unsupported: unknownReason(text) };
}

/** The OpenSSH container names its cipher in clear right after the magic string. */
function opensshEncrypted(body: string): boolean {
  const raw = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (raw.length < magic.length + 4) return false;
  const length = raw.readUInt32BE(magic.length);
  const cipher = raw.subarray(magic.length + 4, magic.length + 4 + length).toString('latin1');
  return cipher !== 'none';
}

function ppkFormat(text: string, version: number, algorithm: string): KeyFormat {
  const name = `PuTTY PPK v${version}`;
  const encrypted = !/^Encryption: *none\s*$/m.test(text);
  if (version !== 2) {
    return {
      name,
      family: 'ppk',
      encrypted,
      unsupported: [
        `PuTTY PPK v${version} is not supported; export as OpenSSH (PuTTYgen: Conversions > Export OpenSSH key)`,
        `不支持 PuTTY PPK v${version} 格式；请导出为 OpenSSH 格式（PuTTYgen：Conversions > Export OpenSSH key）`,
      ],
    };
  }
  if (algorithm !== 'ssh-rsa' && algorithm !== 'ssh-dss') {
    return {
      name,
      family: 'ppk',
      encrypted,
      unsupported: [
        `PuTTY PPK v2 ${algorithm} keys are not supported (only RSA); export as OpenSSH`,
        `不支持 PuTTY PPK v2 的 ${algorithm} 密钥（仅支持 RSA）；请导出为 OpenSSH 格式`,
      ],
    };
  }
  return { name, family: 'ppk', encrypted };
}

function unknownReason(text: string): [string, string] {
  if (/^\s*(ssh-|ecdsa-)\S+ [A-Za-z0-9+/=]+/.test(text)) {
    return ['this is a public key; give the private key', '这是公钥；请提供私钥'];
  }
  if (text.includes('---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----')) {
    return [
      'SSH.com (SECSH) private keys are not supported; export as OpenSSH',
      '不支持 SSH.com（SECSH）格式的私钥；请导出为 OpenSSH 格式',
    ];
  }
  return [
    'not a private key in a known format (OpenSSH, PEM, PKCS#8 or PuTTY PPK)',
    '不是已知格式的私钥（OpenSSH、PEM、PKCS#8 或 PuTTY PPK）',
  ];
}
