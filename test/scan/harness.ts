import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OPERATIONS,
  type OperationName,
  type OperationResults,
  type ProgressEvent,
} from '../../main/contract/operations.js';
import type { HostScanResult } from '../../main/contract/results.js';
import { validate } from '../../main/contract/validate.js';
import type { ServiceContext } from '../../main/context.js';
import { ProgressBus } from '../../main/events.js';
import { createLogger } from '../../main/log.js';
import { createScanHandlers } from '../../main/scan/service.js';
import { openDatabase } from '../../main/store/db.js';
import { openSecretBox } from '../../main/store/secrets.js';
import { createLab, type Lab } from '../lab/lab.js';

/** A service context on a real SQLite file in a temp folder, with a silent logger. */
export function testContext(dataDir = mkdtempSync(join(tmpdir(), 'topke-scan-'))): ServiceContext {
  return {
    db: openDatabase(dataDir),
    secrets: openSecretBox(dataDir),
    dataDir,
    log: createLogger(null, 'silent'),
    events: new ProgressBus(),
  };
}

export function removeContext(ctx: ServiceContext): void {
  ctx.db.close();
  rmSync(ctx.dataDir, { recursive: true, force: true });
}

/** Lab hosts spread over the /22 from 198.18.<first>.0, one lab for each of its four /24s: each
 * place is [which /24, last octet]. Answers the labs and the hosts' addresses, in `at`'s order. */
export function hostsInA22(
  first: number,
  at: [number, number][],
  rootPassword: string,
): { labs: Lab[]; ips: string[] } {
  const labs = [0, 1, 2, 3].map((i) =>
    createLab(
      first + i,
      at.filter(([s]) => s === i).map(([, octet]) => ({ octet, rootPassword })),
    ),
  );
  return { labs, ips: at.map(([s, octet]) => `198.18.${first + s}.${octet}`) };
}

/** What a scan found of each host: address, alive, SSH state, whether the login worked. */
export const foundHosts = (r: HostScanResult) =>
  r.hosts_info.map((h) => [h.ip, h.alive, h.ssh.state, h.login?.ok]);

type ScanOps = 'hostScan' | 'vipTest' | 'scanStatus' | 'scanCancel';

/** The scan feature as the API runs it: the request is validated, then handled. */
export function scanApi(ctx: ServiceContext) {
  const scan = createScanHandlers(ctx);
  const call = <K extends ScanOps>(op: K, input: unknown): Promise<OperationResults[K]> => {
    const handler = scan.handlers[op] as (r: unknown) => Promise<OperationResults[K]>;
    return Promise.resolve().then(() => handler(validate(OPERATIONS[op].request, input)));
  };
  return { call, close: scan.close };
}

/** Collects the progress events of scans. */
export function recordEvents(ctx: ServiceContext): { events: ProgressEvent[]; stop: () => void } {
  const events: ProgressEvent[] = [];
  const stop = ctx.events.subscribe((e) => events.push(e));
  return { events, stop };
}

export function keyPair(name: string): { privateKey: string; publicKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topke-key-'));
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  const pair = {
    privateKey: readFileSync(path, 'utf8'),
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
  };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

export type { OperationName };
