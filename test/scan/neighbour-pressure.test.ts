import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../main/contract/operations.js';
import type { ServiceContext } from '../../main/context.js';
import { readArpLinks } from '../../main/scan/arp-links.js';
import { sharedNeighbourBudget } from '../../main/scan/neighbour-budget.js';
import { sentOnArpLinks } from '../../main/scan/neighbours.js';
import { createPingPool } from '../../main/scan/ping-pool.js';
import { parseScanTargets } from '../../main/scan/range.js';
import { ScanJob } from '../../main/scan/scan-job.js';
import { ScanStore } from '../../main/scan/scan-store.js';
import type { Lab } from '../lab/lab.js';
import { foundHosts, hostsInA22, removeContext, scanApi, testContext } from './harness.js';
import { neighbourFill, type NeighbourFill } from './neighbour-fill.js';

type ScanEvent = Extract<ProgressEvent, { kind: 'scan' }>;

const PW = 'pressure pw';
/** At least half the table held by the filler: of a /22's first attempts, at most the other
 * half can find room, so that some are bound to find none. */
const MIN_HELD = 512;

/** Lab hosts in the /22 from 198.18.<first>.0: one at its start and two among the last probed. */
const hostsAtTheEnd = (first: number) =>
  hostsInA22(
    first,
    [
      [0, 1],
      [3, 250],
      [3, 254],
    ],
    PW,
  );

/** The first of a scan's events that says a round of retries is about to begin (every address is
 * either done or waiting to be probed again), or its last event if none does. */
function firstPause(ctx: ServiceContext, scanUuid: string): Promise<ScanEvent> {
  return new Promise((resolve) => {
    const stop = ctx.events.subscribe((e) => {
      if (e.kind !== 'scan' || e.scan_uuid !== scanUuid) return;
      const pause = e.retrying > 0 && e.done + e.retrying === e.total;
      if (!pause && !e.finished) return;
      stop();
      resolve(e);
    });
  });
}

function scanEvents(ctx: ServiceContext, scanUuid: string): ScanEvent[] {
  const seen: ScanEvent[] = [];
  ctx.events.subscribe((e) => {
    if (e.kind === 'scan' && e.scan_uuid === scanUuid) seen.push(e);
  });
  return seen;
}

/** The kernel's neighbour table is one for the whole machine. Here the test fills it, as other
 * programs or scans can, before each scan starts: the scan's first packets to most addresses get
 * no entry and go nowhere. */
describe('host scan while the neighbour table is full of others\u2019 entries', () => {
  const labs: Lab[] = [];
  let ctx: ServiceContext;
  let api: ReturnType<typeof scanApi>;
  let fill: NeighbourFill | undefined;

  beforeAll(() => {
    ctx = testContext();
    api = scanApi(ctx);
  });

  afterAll(async () => {
    await fill?.stop();
    await api?.close();
    if (ctx) removeContext(ctx);
    for (const lab of labs) lab.teardown();
  });

  async function fillTable(): Promise<NeighbourFill> {
    fill = neighbourFill();
    await fill.fillUp(MIN_HELD);
    return fill;
  }

  it('stops when cancelled while waiting to probe again, counting no address as unprobed', async () => {
    const scan_uuid = randomUUID();
    const seen = scanEvents(ctx, scan_uuid);
    const pausing = firstPause(ctx, scan_uuid);
    const full = await fillTable();
    await api.call('hostScan', { cidr: '198.19.20.0/22', wait: false, scan_uuid });
    const pause = await pausing;
    const cancelled = await api.call('scanCancel', { scan_uuid });
    await full.stop();

    expect(pause.finished).toBeUndefined();
    expect(pause.retrying).toBeGreaterThan(0);
    expect(cancelled).toMatchObject({ state: 'cancelled', addresses: 1022, unprobed: 0 });
    expect(cancelled.scanned).toBeGreaterThanOrEqual(pause.done);
    expect(cancelled.scanned).toBeLessThan(1022);
    expect(cancelled.warnings).toEqual([]);
    const done = seen.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({
      finished: true,
      state: 'cancelled',
      done: cancelled.scanned,
      unprobed: 0,
    });
  });

  it('counts as unprobed, never as absent, the addresses the full table kept it from probing', async () => {
    const { labs: made, ips } = hostsAtTheEnd(64);
    labs.push(...made);
    const uuid = randomUUID();
    const store = new ScanStore(ctx.db);
    const addresses = parseScanTargets({ cidr: '198.18.64.0/22' });
    store.create(uuid, {}, addresses.length);
    const pings = createPingPool();
    const full = await fillTable();
    // The table stays full throughout: one retry, at once, finds no more room than the first try.
    const job = new ScanJob(
      uuid,
      addresses,
      {
        sshPorts: [22],
        timeoutMs: 1000,
        concurrency: 256,
        neighbours: sharedNeighbourBudget(),
        retry: { rounds: 1, afterMs: 0 },
        sent: sentOnArpLinks(readArpLinks()),
        ping: pings.alive,
      },
      { store, events: ctx.events, log: ctx.log },
    );
    await job.finished;
    await full.stop();
    pings.close();

    const result = job.result();
    const unprobed = store.load(uuid)!.unprobed;
    expect(result).toMatchObject({ state: 'done', scanned: 1022, unprobed: unprobed.length });
    expect(result.unprobed).toBeGreaterThan(0);
    expect(result.retried).toBeGreaterThanOrEqual(result.unprobed);
    expect(new Set(unprobed).size).toBe(unprobed.length);
    const hosts = new Map(result.hosts_info.map((h) => [h.ip, h]));
    for (const ip of ips) {
      if (hosts.has(ip))
        expect(hosts.get(ip)).toMatchObject({ alive: true, ssh: { state: 'open' } });
      expect([ip, hosts.has(ip) || unprobed.includes(ip)]).toEqual([ip, true]);
    }
    expect([...hosts.keys()].every((ip) => ips.includes(ip))).toBe(true);
    expect(unprobed.filter((ip) => hosts.has(ip))).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.message).toMatch(
      new RegExp(`^${result.unprobed} addresses? could not be probed, .*: ${unprobed[0]}, `),
    );
    expect(result.warnings[0]!.message_cn).toMatch(
      new RegExp(`^${result.unprobed} 个地址未能探测，.*：${unprobed[0]}、`),
    );
    expect(await api.call('scanStatus', { scan_uuid: uuid })).toMatchObject({
      state: 'done',
      scanned: 1022,
      unprobed: result.unprobed,
      retried: result.retried,
      warnings: result.warnings,
    });
  });

  it('finds every host of a /22, those probed last too, once the table has room again', async () => {
    const { labs: made, ips } = hostsAtTheEnd(68);
    labs.push(...made);
    const scan_uuid = randomUUID();
    const full = await fillTable();
    // Room comes back as soon as every address has been tried once.
    const released = firstPause(ctx, scan_uuid).then(async (pause) => {
      await full.stop();
      return pause;
    });
    const result = await api.call('hostScan', {
      cidr: '198.18.68.0/22',
      ssh: { user: 'root', password: PW },
      scan_uuid,
    });
    const pause = await released;

    expect(pause.finished).toBeUndefined();
    expect(pause.retrying).toBeGreaterThan(0);
    expect(result).toMatchObject({
      state: 'done',
      scanned: 1022,
      addresses: 1022,
      unprobed: 0,
      retried: pause.retrying,
      warnings: [],
    });
    expect(foundHosts(result)).toEqual(ips.map((ip) => [ip, true, 'open', true]));
  });
});
