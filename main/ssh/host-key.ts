import { createHash } from 'node:crypto';

export interface HostKeyInfo {
  keyType: string;
  /** As OpenSSH prints it: "SHA256:" and the unpadded base64 of the key blob's SHA-256. */
  fingerprint: string;
}

/** Reads the key type (the blob's first SSH string) and the SHA256 fingerprint of a host key blob. */
export function describeHostKey(blob: Buffer): HostKeyInfo {
  const typeLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const keyType = blob.subarray(4, 4 + typeLength).toString('latin1') || 'unknown';
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { keyType, fingerprint: `SHA256:${digest}` };
}
