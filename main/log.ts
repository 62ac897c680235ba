import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Field names whose values are never written to a log. */
const REDACT = [
  'password',
  'private_key',
  'privateKey',
  'passphrase',
  'sudo_password',
  'sudoPassword',
  'kube_config_data',
  'token',
  '*.password',
  '*.private_key',
  '*.privateKey',
  '*.passphrase',
  '*.sudo_password',
  '*.sudoPassword',
  '*.Password',
  '*.kube_config_data',
  '*.token',
];

/** One structured logger for the process; children carry a scope (scan, ssh, deploy, store, http).
 * Lines go to a file in the data folder, rotated daily and at 10 MB, seven files kept. */
export function createLogger(
  dataDir: string | null,
  level = process.env.TOPKE_LOG_LEVEL ?? 'info',
): Logger {
  const redact = { paths: REDACT, censor: '[secret]' };
  if (dataDir === null) return pino({ level, redact }, pino.destination(2));
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const transport = pino.transport({
    target: 'pino-roll',
    options: {
      // Logs name hosts, users and clusters: the owner's only, as the database is.
      mode: 0o600,
      file: join(dir, 'topke'),
      frequency: 'daily',
      size: '10m',
      mkdir: true,
      limit: { count: 7 },
      extension: '.log',
    },
  });
  return pino({ level, redact }, transport);
}
