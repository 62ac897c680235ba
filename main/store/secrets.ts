import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopkeError } from '../contract/errors.js';

/** Encrypts secrets at rest with AES-256-GCM; the key lives beside the database, readable by the
 * owner only. It keeps secrets out of a copied database file, not from someone who has both. */
export interface SecretBox {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

/** True when the data folder has no key yet: openSecretBox will make one. */
export function secretKeyMissing(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'secret.key'));
}

export function openSecretBox(dataDir: string): SecretBox {
  const keyPath = join(dataDir, 'secret.key');
  if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32), { mode: 0o600, flag: 'wx' });
  const key = readFileSync(keyPath);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
        decipher.setAuthTag(sealed.subarray(12, 28));
        return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new TopkeError({
          code: 'internal',
          message: `a stored secret cannot be decrypted with ${keyPath}: the key file was replaced or removed since it was saved. Restore the original secret.key from a backup, or enter the secret (password, key, kubeconfig) again`,
          messageCn: `无法用 ${keyPath} 解密已保存的机密：保存之后密钥文件被替换或删除。请从备份恢复原来的 secret.key，或重新输入该机密（密码、私钥、kubeconfig）`,
        });
      }
    },
  };
}
