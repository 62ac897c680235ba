import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../main/context.js';
import type { Lab } from '../lab/lab.js';
import { foundHosts, hostsInA22, removeContext, scanApi, testContext } from './harness.js';

const PW = 'sparse pw';

/** Lab hosts in a /22 starting at 198.18.<first>.0: at its start, in its middle, and among the
 * last addresses probed, where the kernel's neighbour table is fullest. */
const sparseHosts = (first: number) =>
  hostsInA22(
    first,
    [
      [0, 1],
      [1, 128],
      [2, 3],
      [3, 250],
      [3, 254],
    ],
    PW,
  );

/** Mostly empty /22s on the operator's link: each empty address holds a kernel neighbour entry
 * while ARP asks for it, more of them than the table holds over a whole scan. Each scan covers
 * its own /22, so that none of its hosts is already known to the kernel from an earlier scan. */
describe('host scan over a mostly empty /22', () => {
  const labs: Lab[] = [];
  let ctx: ServiceContext;
  let api: ReturnType<typeof scanApi>;

  beforeAll(() => {
    ctx = testContext();
    api = scanApi(ctx);
  });

  afterAll(async () => {
    await api?.close();
    if (ctx) removeContext(ctx);
    for (const lab of labs) lab.teardown();
  });

  it('finds every host, those probed last too, and logs in to each', async () => {
    const { labs: made, ips } = sparseHosts(40);
    labs.push(...made);
    const result = await api.call('hostScan', {
      cidr: '198.18.40.0/22',
      ssh: { user: 'root', password: PW },
    });
    expect(result).toMatchObject({ state: 'done', scanned: 1022, addresses: 1022 });
    expect(foundHosts(result)).toEqual(ips.map((ip) => [ip, true, 'open', true]));
  });

  it('finds every host even when asked to probe the whole /22 at once', async () => {
    const { labs: made, ips } = sparseHosts(44);
    labs.push(...made);
    // 1022 addresses at once would need more neighbour entries than the table holds.
    const result = await api.call('hostScan', {
      cidr: '198.18.44.0/22',
      ssh: { user: 'root', password: PW },
      concurrency: 1024,
    });
    expect(result).toMatchObject({ state: 'done', scanned: 1022 });
    expect(foundHosts(result)).toEqual(ips.map((ip) => [ip, true, 'open', true]));
  });
});
