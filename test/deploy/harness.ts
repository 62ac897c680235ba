import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { create } from 'tar';
import { parseAllDocuments } from 'yaml';
import { createServices, type Services } from '../../main/api.js';
import { createContext, type ServiceContext } from '../../main/context.js';
import type { DeployStatusResult } from '../../main/contract/results.js';
import type { DeployRequestInput } from '../../main/contract/schemas.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type HostSpec, type Lab, type LabHost } from '../lab/lab.js';

export const ROOT_PASSWORD = 'lab-root-Secret-7';

/** A fresh data folder with the product's services over it. */
export interface Product {
  dir: string;
  ctx: ServiceContext;
  services: Services;
  close(): Promise<void>;
}

/** Opens the product's services over `dir`, a fresh temporary folder unless given; closing it
 * keeps the folder, so a second product can open the same one. */
export function startProduct(dir = mkdtempSync(join(tmpdir(), 'topke-product-'))): Product {
  process.env.TOPKE_LOG_LEVEL ??= 'warn';
  const ctx = createContext(dir, { logToFile: false });
  const services = createServices(ctx);
  return {
    dir,
    ctx,
    services,
    async close() {
      await services.close();
      ctx.db.close();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Closes the product and removes its data folder. */
export async function discardProduct(product: Product): Promise<void> {
  await product.close();
  removeDir(product.dir);
}

/** What a deploy test runs against: real lab hosts, a test bundle and the product over a fresh
 * data folder. */
export interface DeployFixture {
  lab: Lab;
  bundle: TestBundle;
  product: Product;
  /** Closes the product and removes whatever the fixture made. */
  teardown(): Promise<void>;
}

/** Makes the lab hosts, then the bundle (a plain test bundle unless `makeBundle` is given), then
 * the product. When a step fails, what was made before it is removed again. */
export async function startDeployFixture(
  subnet: number,
  hosts: HostSpec[],
  makeBundle: () => Promise<TestBundle> = () => buildTestBundle(),
): Promise<DeployFixture> {
  const made: Partial<Omit<DeployFixture, 'teardown'>> = {};
  const teardown = async () => {
    if (made.product) await discardProduct(made.product);
    made.lab?.teardown();
    made.bundle?.remove();
  };
  try {
    made.lab = createLab(subnet, hosts);
    made.bundle = await makeBundle();
    made.product = startProduct();
    return { lab: made.lab, bundle: made.bundle, product: made.product, teardown };
  } catch (err) {
    await teardown();
    throw err;
  }
}

/** Waits until the deploy is over: the condition is read from the status, checked on every
 * progress event and at least every 200 ms. */
export async function waitForDeploy(
  product: Product,
  uuid: string,
  timeoutMs = 90_000,
): Promise<DeployStatusResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await product.services.api.deployStatus({ uuid });
    if (status.is_over) return status;
    if (Date.now() > deadline)
      throw new Error(`deploy ${uuid} still running after ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 200);
      const stop = product.ctx.events.subscribe(
        (e) => e.kind === 'deploy' && e.uuid === uuid && done(),
      );
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  }
}

export function deployPlan(
  name: string,
  masters: Pick<LabHost, 'ip'>[],
  workers: Pick<LabHost, 'ip'>[],
  bundlePath: string,
  extra: Partial<DeployRequestInput> = {},
): DeployRequestInput {
  return {
    name,
    cluster_node_scale: 'medium',
    master_list: masters.map((h) => ({ IP: h.ip, NodeName: `m-${h.ip.split('.').pop()}` })),
    node_list: workers.map((h) => ({ IP: h.ip, NodeName: `w-${h.ip.split('.').pop()}` })),
    KubernetesVersion: 'v1.30.2',
    ServicePodCidr: '',
    PodCidr: '10.244.0.0/16',
    ControlPlaneConfig: { KubeProxyConfig: { Mode: 'ipvs' } },
    ssh: { user: 'root', password: ROOT_PASSWORD, port: 22 },
    bundle_path: bundlePath,
    ...extra,
  };
}

const DEPLOY_TABLES = [
  'deploys',
  'deploy_stages',
  'deploy_hosts',
  'deploy_steps',
  'deploy_logs',
  'clusters',
  'nodes',
];

/** Every row of the tables a deploy writes, as one JSON text: what a secret must stay out of. */
export function deployRecords(product: Product): string {
  return JSON.stringify(
    DEPLOY_TABLES.map((t) => product.ctx.db.prepare(`SELECT * FROM ${t}`).all()),
  );
}

/** The documents of a YAML file on a host, by kind. */
export function docsByKind(text: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJS() as Record<string, unknown> | null;
    if (obj && typeof obj.kind === 'string') out[obj.kind] = obj;
  }
  return out;
}

export function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

/** The SSH connections a lab host's sshd has taken so far, and the logins it accepted. */
export function sshdCounts(host: LabHost): { connections: number; logins: number } {
  const log = lines(host.sshdLog());
  const count = (pattern: RegExp) => log.filter((l) => pattern.test(l)).length;
  return { connections: count(/Connection from /), logins: count(/Accepted /) };
}

/** How many more connections and logins each host's sshd took while `work` ran. */
export async function sshdCountsDuring(
  hosts: LabHost[],
  work: () => Promise<unknown>,
): Promise<{ connections: number; logins: number }[]> {
  const before = hosts.map(sshdCounts);
  await work();
  return hosts.map((h, i) => {
    const after = sshdCounts(h);
    return {
      connections: after.connections - before[i]!.connections,
      logins: after.logins - before[i]!.logins,
    };
  });
}

export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v0.8.9';

/** A test bundle for an HA control plane: kube-vip's image archive among the images, and its
 * name in manifest.json (images["kube-vip"]), in the folder and in the .tar.gz alike. */
export async function buildHaBundle(): Promise<TestBundle> {
  const bundle = await buildTestBundle({
    images: ['registry.k8s.io/pause:3.9', 'docker.io/calico/node:v3.27.3', KUBE_VIP_IMAGE],
  });
  const manifest = { ...bundle.manifest, images: { 'kube-vip': KUBE_VIP_IMAGE } };
  writeFileSync(join(bundle.dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await create({ gzip: true, file: bundle.archive, cwd: dirname(bundle.dir), portable: true }, [
    basename(bundle.dir),
  ]);
  return { ...bundle, manifest };
}
