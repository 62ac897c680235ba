import { X509Certificate } from 'node:crypto';
import { invalidField } from '../contract/errors.js';
import type { RegistryCaView } from '../contract/results.js';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** A registry's CA certificate(s), checked and written the one way hosts will read them. */
export interface CaBundle {
  /** Every certificate re-encoded as standard PEM (64-column lines), one after the other. */
  pem: string;
  certificates: X509Certificate[];
}

function parseBlock(block: string, index: number, field: string): X509Certificate {
  try {
    return new X509Certificate(block);
  } catch {
    throw invalidField(
      field,
      `certificate ${index + 1} is not a valid X.509 certificate`,
      `第 ${index + 1} 个证书不是有效的 X.509 证书`,
    );
  }
}

function checkValidity(cert: X509Certificate, index: number, field: string, now: number): void {
  const notAfter = Date.parse(cert.validTo);
  if (notAfter < now)
    throw invalidField(
      field,
      `certificate ${index + 1} (${cert.subject.replaceAll('\n', ', ')}) expired on ${cert.validTo}`,
      `第 ${index + 1} 个证书（${cert.subject.replaceAll('\n', ', ')}）已于 ${cert.validTo} 过期`,
    );
}

/** Reads PEM text holding one or more certificates (a CA and its intermediates). A private key,
 * anything that is not a certificate, or an expired certificate is refused, naming `field`. */
export function parseCaBundle(text: string, field: string, now = Date.now()): CaBundle {
  const blocks = [...text.matchAll(BLOCK)];
  if (blocks.length === 0)
    throw invalidField(
      field,
      'holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
      '未包含 PEM 格式的证书（-----BEGIN CERTIFICATE-----）',
    );
  const other = blocks.find((b) => b[1] !== 'CERTIFICATE');
  if (other)
    throw invalidField(
      field,
      `holds a "${other[1]}" block: give the certificate only${/PRIVATE KEY/.test(other[1]!) ? ', never its private key' : ''}`,
      `包含 “${other[1]}” 内容：只需提供证书${/PRIVATE KEY/.test(other[1]!) ? '，切勿提供私钥' : ''}`,
    );
  const certificates = blocks.map((b, i) => parseBlock(b[0], i, field));
  certificates.forEach((c, i) => checkValidity(c, i, field, now));
  return { pem: certificates.map((c) => c.toString()).join(''), certificates };
}

const seconds = (date: string): number => Math.floor(Date.parse(date) / 1000);

/** What the first certificate (the one the engineer recognises) says about itself. */
export function describeCa(pem: string): RegistryCaView | null {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
  if (!first) return null;
  const cert = new X509Certificate(first[0]);
  return {
    subject: cert.subject.replaceAll('\n', ', '),
    issuer: cert.issuer.replaceAll('\n', ', '),
    not_before: seconds(cert.validFrom),
    not_after: seconds(cert.validTo),
    fingerprint_sha256: cert.fingerprint256,
  };
}

/** One line of each certificate's base64 body that no other certificate shares (from its
 * signature): finding it in a host's trust bundle shows the certificate is in there. */
export function certificateMarkers(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----\n([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => {
      const lines = m[1]!.split('\n').filter(Boolean);
      return lines.length > 1 ? lines[lines.length - 2]! : lines[0]!;
    },
  );
}
