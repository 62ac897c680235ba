import { randomUUID } from 'node:crypto';
import { notFound, TopkeError } from '../contract/errors.js';
import type { HostScanRequest } from '../contract/schemas.js';
import type { HostScanResult } from '../contract/results.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import { createSshPool } from '../ssh/pool.js';
import type { SshPool } from '../ssh/types.js';
import { testVip } from '../vip/vip-test.js';
import { makeLogin } from './login.js';
import { readArpLinks } from './arp-links.js';
import { sharedNeighbourBudget } from './neighbour-budget.js';
import { sentOnArpLinks } from './neighbours.js';
import { createPingPool } from './ping-pool.js';
import { parseScanTargets } from './range.js';
import { ScanJob } from './scan-job.js';
import { runMarkers } from '../store/run-markers.js';
import { ScanStore, type StoredScan } from './scan-store.js';
import { unprobedWarning } from './unprobed.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 1000;
/** How often an address the kernel could not probe (its neighbour table full) is tried again. */
const RETRY_ROUNDS = 3;

type ScanOps = 'hostScan' | 'vipTest' | 'scanStatus' | 'scanCancel';

/** What is kept of a request: never its passwords or keys. */
function storableRequest(req: HostScanRequest): object {
  const { ssh, ...rest } = req;
  return ssh ? { ...rest, ssh: { user: ssh.user, port: ssh.port } } : rest;
}

function storedResult(scan: StoredScan): HostScanResult {
  return {
    hosts_info: scan.hosts,
    total_count: scan.hosts.length,
    scan_uuid: scan.uuid,
    scanned: scan.done,
    addresses: scan.total,
    state: scan.state,
    unprobed: scan.unprobed.length,
    retried: scan.retried,
    warnings: unprobedWarning(scan.unprobed),
  };
}

function uuidTaken(uuid: string): TopkeError {
  return new TopkeError({
    code: 'conflict',
    field: 'scan_uuid',
    message: `scan_uuid: a scan ${uuid} already exists; choose a new uuid`,
    messageCn: `scan_uuid：扫描 ${uuid} 已存在；请使用新的 uuid`,
  });
}

function scanFailed(uuid: string): TopkeError {
  return new TopkeError({
    code: 'internal',
    message: `scan ${uuid} failed; the hosts found so far are kept (scanStatus), the log has the cause`,
    messageCn: `扫描 ${uuid} 失败；已发现的主机已保存（可通过 scanStatus 查看），原因见日志`,
  });
}

/** Host scan (the spec's, plus following and cancelling a running scan) and the VIP test. */
export function createScanHandlers(ctx: ServiceContext): {
  handlers: Handlers<ScanOps>;
  /** Cancels the running scans; answers how many there were. */
  close(): Promise<number>;
} {
  const log = ctx.log.child({ scope: 'scan' });
  const store = new ScanStore(ctx.db);
  const markers = runMarkers(ctx.dataDir, 'scans');
  markers.prune(store.markInterrupted((uuid) => markers.runningElsewhere(uuid)));
  const jobs = new Map<string, ScanJob>();
  const knownHosts = createKnownHostsStore(ctx.db);

  function startScan(req: HostScanRequest): ScanJob {
    const addresses = parseScanTargets(req);
    const uuid = req.scan_uuid ?? randomUUID();
    if (jobs.has(uuid) || store.exists(uuid)) throw uuidTaken(uuid);
    const pool: SshPool | undefined = req.ssh
      ? createSshPool({ knownHosts, log, maxSessions: 64, connectTimeoutMs: 10_000 })
      : undefined;
    store.create(uuid, storableRequest(req), addresses.length);
    const pings = createPingPool();
    // Addresses probed at once, unless the request says: what the kernel's neighbour table can
    // keep busy over one probe's timeout (256 with Linux's defaults and a 1 s timeout).
    const neighbours = sharedNeighbourBudget();
    const timeoutMs = req.timeout_ms ?? DEFAULT_PROBE_TIMEOUT_MS;
    const job = new ScanJob(
      uuid,
      addresses,
      {
        sshPorts: req.ssh_ports ?? [req.ssh?.port ?? 22],
        timeoutMs,
        concurrency: req.concurrency ?? neighbours.concurrency(timeoutMs),
        neighbours,
        // Tried again once the entries that filled the table have had one lifetime to expire.
        retry: { rounds: RETRY_ROUNDS, afterMs: neighbours.holdMs },
        sent: sentOnArpLinks(readArpLinks()),
        login: pool && req.ssh ? makeLogin(pool, req.ssh, req.install_dir) : undefined,
        ping: pings.alive,
      },
      { store, events: ctx.events, log },
    );
    jobs.set(uuid, job);
    markers.mark(uuid);
    log.info({ scan: uuid, addresses: addresses.length, login: Boolean(pool) }, 'scan started');
    void job.finished.finally(() => {
      jobs.delete(uuid);
      markers.clear(uuid);
      pings.close();
      void pool?.closeAll();
    });
    return job;
  }

  function lookup(uuid: string | undefined): HostScanResult {
    const id = uuid ?? [...jobs.keys()].pop() ?? store.latestUuid();
    const job = id ? jobs.get(id) : undefined;
    if (job) return job.result();
    const stored = id ? store.load(id) : undefined;
    if (!stored) throw notFound('scan', '扫描', id ?? '(latest)', 'scan_uuid');
    return storedResult(stored);
  }

  return {
    handlers: {
      hostScan: async (req) => {
        const job = startScan(req);
        if (req.wait) await job.finished;
        if (job.state === 'failed') throw scanFailed(job.uuid);
        return job.result();
      },
      vipTest: (req) => testVip(req.vip, req.port),
      scanStatus: async (req) => lookup(req.scan_uuid),
      scanCancel: async (req) => {
        const job = jobs.get(req.scan_uuid);
        if (!job) return lookup(req.scan_uuid);
        job.cancel();
        await job.finished;
        return job.result();
      },
    },
    close: async () => {
      const running = [...jobs.values()];
      for (const job of running) job.cancel();
      await Promise.allSettled(running.map((j) => j.finished));
      return running.length;
    },
  };
}
