import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopkeError } from '../../main/contract/errors.js';
import type { Lab } from '../lab/lab.js';
import {
  deployPlan,
  removeDir,
  ROOT_PASSWORD,
  startDeployFixture,
  startProduct,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from './harness.js';

/** A bundle whose read waits for the test: a FIFO named like the archive. `reading` resolves
 * once the product opens it (opening a FIFO for writing returns only when a reader opens it);
 * `release` then hands the product the archive's bytes. The archive was unpacked by an earlier
 * deploy, so its sha256 (this one read) finds it in the data folder's cache. */
interface GatedBundle {
  path: string;
  reading: Promise<FileHandle>;
  /** Hands over the bytes when the product reads the bundle; otherwise lets the writer go. */
  release(): Promise<void>;
}

function gatedBundle(dir: string, name: string, archive: string): GatedBundle {
  const path = join(dir, `${name}.tar.gz`);
  execFileSync('mkfifo', [path]);
  const reading = open(path, 'w');
  let opened = false;
  let released = false;
  void reading.then(() => (opened = true));
  // A reader of the test's own lets the waiting writer go when the product never opened it.
  const letGo = async () => {
    const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    await (await reading).close();
    await reader.close();
  };
  return {
    path,
    reading,
    async release() {
      if (released) return;
      released = true;
      if (!opened) return letGo();
      const fifo = await reading;
      await fifo.writeFile(readFileSync(archive));
      await fifo.close();
    },
  };
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

/** Waits until the product reads the gated bundle; fails at once should the request (answering
 * its error, as `rejection` gives it) end before that. */
async function whileReading(bundle: GatedBundle, request: Promise<unknown>): Promise<void> {
  const ended = request.then((answer) => {
    throw new Error(`the request ended before reading its bundle: ${String(answer)}`);
  });
  await Promise.race([bundle.reading, ended]);
}

describe('removing a cluster from management while a deploy of it is prepared', () => {
  let lab: Lab;
  let product: Product;
  let archive: string;
  let fixture: DeployFixture | undefined;
  let work: string;
  const gates: GatedBundle[] = [];

  const gate = (name: string) => {
    const made = gatedBundle(work, name, archive);
    gates.push(made);
    return made;
  };
  const count = (sql: string, ...args: unknown[]) =>
    (product.ctx.db.prepare(sql).get(...args) as { n: number }).n;
  const deploysOf = (uuid: string) =>
    count('SELECT count(*) AS n FROM deploys WHERE cluster_uuid = ?', uuid);

  beforeAll(async () => {
    fixture = await startDeployFixture(56, [
      {
        octet: 11,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/fail-kubeadm-init': 'kubeadm init fails for the test\n' },
      },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 21, rootPassword: ROOT_PASSWORD },
      { octet: 22, rootPassword: ROOT_PASSWORD },
    ]);
    ({ lab, product } = fixture);
    archive = fixture.bundle.archive;
    work = mkdtempSync(join(tmpdir(), 'topke-gates-'));
  });

  afterAll(async () => {
    for (const g of gates) await g.release();
    await fixture?.teardown();
    if (work) removeDir(work);
  });

  describe('a failed cluster deployed again', () => {
    let uuid: string;
    const plan = (bundlePath: string) => deployPlan('lab55', [lab.host(11)], [], bundlePath);

    beforeAll(async () => {
      uuid = (await product.services.api.deploy(plan(archive))).uuid;
      expect((await waitForDeploy(product, uuid)).DeployStage.State).toBe('failed');
    });

    it('is not removed here while its bundle is read, and the deploy goes on', async () => {
      const bundle = gate('again');
      const redeploy = rejection(product.services.api.deploy(plan(bundle.path)));
      let refused: unknown;
      try {
        await whileReading(bundle, redeploy);
        refused = await rejection(product.services.api.clusterDelete({ uuid }));
      } finally {
        await bundle.release();
      }
      expect(refused).toBeInstanceOf(TopkeError);
      expect(refused).toMatchObject({ code: 'conflict', field: 'uuid' });
      expect((refused as TopkeError).message).toBe(
        `uuid: cluster ${uuid} is being deployed (a deploy or node create of it is under way); wait for it to end`,
      );
      expect((refused as TopkeError).messageCn).toContain(`集群 ${uuid} 正在部署中`);
      expect(await redeploy).toBeNull();
      const status = await waitForDeploy(product, uuid);
      expect(status.err_info).toContain('kubeadm init fails for the test');
      expect(deploysOf(uuid)).toBe(2);
    });

    it('removed by another process while its bundle is read, is not brought back', async () => {
      const other = startProduct(product.dir);
      try {
        const bundle = gate('removed');
        const redeploy = rejection(product.services.api.deploy(plan(bundle.path)));
        try {
          await whileReading(bundle, redeploy);
          expect(await other.services.api.clusterDelete({ uuid })).toEqual({ uuid });
        } finally {
          await bundle.release();
        }
        const err = await redeploy;
        expect(err).toMatchObject({ code: 'conflict', field: 'name' });
        expect((err as TopkeError).message).toBe(
          `name: cluster "lab55" (${uuid}) was removed from management while this deploy was being prepared; nothing was deployed or recorded. Deploy again to make it a new cluster`,
        );
        expect((err as TopkeError).messageCn).toContain('在本次部署准备期间已被移除纳管');
      } finally {
        await other.close();
      }
      expect(count('SELECT count(*) AS n FROM clusters WHERE uuid = ?', uuid)).toBe(0);
      expect(count('SELECT count(*) AS n FROM nodes WHERE cluster_uuid = ?', uuid)).toBe(0);
      expect(deploysOf(uuid)).toBe(2);
      expect(count('SELECT count(*) AS n FROM deploys WHERE is_over = 0')).toBe(0);
      // Nothing holds the name: it deploys again, as a new cluster.
      const fresh = await product.services.api.deploy(plan(archive));
      expect(fresh.uuid).not.toBe(uuid);
      await waitForDeploy(product, fresh.uuid);
    });
  });

  describe('a running cluster that nodes are added to', () => {
    let uuid: string;

    beforeAll(async () => {
      const plan = deployPlan('lab55-b', [lab.host(12)], [], archive);
      uuid = (await product.services.api.deploy(plan)).uuid;
      expect((await waitForDeploy(product, uuid)).DeployStage.State).toBe('success');
    });

    const addNode = (octet: number, bundlePath: string) =>
      product.services.api.nodeCreate({
        uuid,
        node_list: [{ IP: lab.host(octet).ip, NodeName: `w-${octet}` }],
        bundle_path: bundlePath,
      });

    it('is not removed here while the new nodes’ bundle is read', async () => {
      const bundle = gate('node');
      const adding = rejection(addNode(21, bundle.path));
      let refused: unknown;
      try {
        await whileReading(bundle, adding);
        refused = await rejection(product.services.api.clusterDelete({ uuid }));
      } finally {
        await bundle.release();
      }
      expect(refused).toMatchObject({ code: 'conflict', field: 'uuid' });
      expect(await adding).toBeNull();
      expect((await waitForDeploy(product, uuid)).DeployStage.State).toBe('success');
    });

    it('removed by another process meanwhile, gets no node and no record', async () => {
      const before = deploysOf(uuid);
      const other = startProduct(product.dir);
      try {
        const bundle = gate('node-removed');
        const adding = rejection(addNode(22, bundle.path));
        try {
          await whileReading(bundle, adding);
          expect(await other.services.api.clusterDelete({ uuid })).toEqual({ uuid });
        } finally {
          await bundle.release();
        }
        expect(await adding).toMatchObject({ code: 'not_found', field: 'uuid' });
      } finally {
        await other.close();
      }
      expect(count('SELECT count(*) AS n FROM clusters WHERE uuid = ?', uuid)).toBe(0);
      expect(count('SELECT count(*) AS n FROM nodes WHERE cluster_uuid = ?', uuid)).toBe(0);
      expect(deploysOf(uuid)).toBe(before);
      expect(lab.host(22).exec('ls /opt/topke 2>/dev/null || echo none').trim()).toBe('none');
    });
  });
});
