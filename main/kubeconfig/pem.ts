import { createPrivateKey, X509Certificate } from 'node:crypto';

/** What is wrong with a `*-data` field, in both languages; null when it is sound. */
export interface DataProblem {
  message: string;
  messageCn: string;
}

const STRICT_BASE64 = /^[A-Za-z0-9+/\r\n\t ]*={0,2}\s*$/;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function problem(message: string, messageCn: string): DataProblem {
  return { message, messageCn };
}

/** Decodes a kubeconfig `*-data` value (base64 of PEM text), or says why it cannot. */
export function decodePemData(value: unknown): { pem: string } | DataProblem {
  if (typeof value !== 'string' || value.trim() === '') return problem('is empty', '为空');
  if (value.includes('-----BEGIN'))
    return problem(
      'holds PEM text, but must hold it base64-encoded',
      '包含的是 PEM 文本，应为其 base64 编码',
    );
  if (!STRICT_BASE64.test(value)) return problem('is not base64', '不是 base64 编码');
  return { pem: Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8') };
}

/** The certificates of a PEM bundle, or why they cannot be read. */
export function parseCertificates(pem: string): X509Certificate[] | DataProblem {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    return problem('does not hold a PEM certificate', '不包含 PEM 格式的证书');
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    return problem('holds a malformed certificate', '包含格式错误的证书');
  }
}

/** Checks base64 certificate data: sound certificates, or the problem. */
export function checkCertificateData(value: unknown): X509Certificate[] | DataProblem {
  const decoded = decodePemData(value);
  if (!('pem' in decoded)) return decoded;
  return parseCertificates(decoded.pem);
}

/** Checks base64 private key data; the key itself never leaves this function. */
export function checkKeyData(value: unknown): DataProblem | null {
  const decoded = decodePemData(value);
  if (!('pem' in decoded)) return decoded;
  if (!decoded.pem.includes('PRIVATE KEY-----'))
    return problem('does not hold a PEM private key', '不包含 PEM 格式的私钥');
  try {
    createPrivateKey(decoded.pem);
    return null;
  } catch {
    return problem('holds a malformed private key', '包含格式错误的私钥');
  }
}

/** The earliest expiry of some certificates, in seconds since the epoch. */
export function earliestExpiry(certs: X509Certificate[]): number | null {
  const times = certs.map((c) => Math.floor(Date.parse(c.validTo) / 1000)).filter(Number.isFinite);
  return times.length ? Math.min(...times) : null;
}

export function isDataProblem(value: unknown): value is DataProblem {
  return typeof value === 'object' && value !== null && 'messageCn' in value;
}
