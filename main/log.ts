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
  const log = pino({ level, redact }, transport);
  transports.set(log, transport);
  return log;
}

const transports = new WeakMap<Logger, ReturnType<typeof pino.transport>>();

/** Writes the lines still queued and ends the logger's worker thread; resolves once it has
 * ended. Without it pino ends the worker from exit hooks, after the rest of the process (and
 * sleeps 100 ms there when the worker has not started yet). */
export function closeLogger(log: Logger): Promise<void> {
  const transport = transports.get(log);
  if (!transport) return Promise.resolve();
  transports.delete(log);
  if (transport.closed) return Promise.resolve();
  return new Promise((resolve) => {
    // Also when the worker fails to start: it closes then, without being ready.
    transport.once('close', () => {
      transport.unref();
      resolve();
    });
    // pino unreferences a started worker: hold the process until it has written and ended.
    // Waiting for the lines to be written first keeps the event loop free meanwhile; end()
    // itself blocks until the worker has read what is left.
    const end = () => {
      transport.ref();
      transport.flush(() => transport.end());
    };
    if (transport.ready) end();
    else transport.once('ready', end);
  });
}
