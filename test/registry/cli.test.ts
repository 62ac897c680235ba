// `topke registry ...` as an engineer runs it: a registry added from a CA file with its password
// from the environment, listed, distributed to a cluster the CLI deployed (one node down), and
// deleted; each command's envelope on stdout.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RegistryDistributeResult,
  RegistryListResult,
  RegistryView,
} from '../../main/contract/results.js';
import { deployPlan, removeDir, ROOT_PASSWORD } from '../deploy/harness.js';
import { createTestPki, type TestPki } from '../kubeconfig/pki.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type Lab } from '../lab/lab.js';
import { requireBuiltCli, runTopke } from '../support/cli.js';
import { CHINESE } from './harness.js';

const SUBNET = 141;
const REGISTRY = 'reg.cli.lab:5443';
const PASSWORD = 'registry-Cli-Secret-93';
const CA_FILE = `/etc/containerd/certs.d/${REGISTRY}/ca.crt`;

interface Envelope<T> {
  scode: number;
  message: string;
  message_cn: string;
  data: T;
  error?: { code: string; field?: string };
}

describe('topke registry', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let pki: TestPki;
  let work: string;
  let dataDir: string;
  let caFile: string;
  let cluster: string;
  let registry: string;

  async function topke<T>(args: string[], env: Record<string, string> = {}) {
    const run = await runTopke([...args, '--data-dir', dataDir], undefined, env);
    return { ...run, envelope: JSON.parse(run.stdout) as Envelope<T> };
  }

  beforeAll(async () => {
    requireBuiltCli();
    lab = createLab(SUBNET, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 13, rootPassword: ROOT_PASSWORD },
    ]);
    bundle = await buildTestBundle();
    pki = createTestPki();
    work = mkdtempSync(join(tmpdir(), 'topke-registry-cli-'));
    dataDir = join(work, 'data');
    caFile = join(work, 'registry-ca.crt');
    writeFileSync(caFile, pki.ca.cert);
    const plan = join(work, 'plan.json');
    const hosts = [lab.host(12), lab.host(13)];
    writeFileSync(plan, JSON.stringify(deployPlan('cli141', [lab.host(11)], hosts, bundle.dir)));
    const deployed = await topke<{ uuid: string }>(['deploy', plan]);
    expect(deployed.code, deployed.stderr).toBe(0);
    cluster = deployed.envelope.data.uuid;
  });

  afterAll(() => {
    lab?.teardown();
    bundle?.remove();
    pki?.cleanup();
    if (work) removeDir(work);
  });

  it('adds a registry from a CA file, the password from TOPKE_REGISTRY_PASSWORD only', async () => {
    const refused = await topke(['registry', 'add', REGISTRY, '--password', PASSWORD]);
    expect(refused.code).toBe(1);
    expect(refused.envelope.error).toMatchObject({ code: 'invalid_field', field: '--password' });
    expect(refused.envelope.message).toContain('TOPKE_REGISTRY_PASSWORD');
    expect(refused.envelope.message_cn).toMatch(CHINESE);

    const args = ['registry', 'add', `https://${REGISTRY}`, '--ca', caFile, '--user', 'robot'];
    const added = await topke<RegistryView>([...args, '--project', 'library'], {
      TOPKE_REGISTRY_PASSWORD: PASSWORD,
    });
    expect(added.code, added.stderr).toBe(0);
    expect(added.envelope.data).toMatchObject({
      address: `https://${REGISTRY}`,
      project: 'library',
      user: 'robot',
      has_password: true,
      ca_cert: pki.ca.cert,
      cluster_count: 0,
    });
    expect(added.stdout + added.stderr).not.toContain(PASSWORD);
    registry = added.envelope.data.registry_uuid;

    const listed = await topke<RegistryListResult>(['registry', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.envelope.data.list.map((r) => [r.registry_uuid, r.has_password])).toEqual([
      [registry, true],
    ]);
    expect(listed.stdout).not.toContain(PASSWORD);
  });

  it('distributes the CA, saying per node which got it and why one did not', async () => {
    lab.host(13).stop();
    const run = await topke<RegistryDistributeResult>([
      'registry',
      'distribute',
      registry,
      cluster,
    ]);
    expect(run.code).toBe(1);
    expect(run.envelope.scode).toBe(0);
    const result = run.envelope.data;
    expect(result).toMatchObject({ total: 1, success: 0, fail: 1 });
    const nodes = result.results[0]!.nodes;
    expect(nodes.map((n) => [n.ip, n.node_name, n.ok])).toEqual([
      [lab.host(11).ip, 'm-11', true],
      [lab.host(12).ip, 'w-12', true],
      [lab.host(13).ip, 'w-13', false],
    ]);
    expect(nodes[2]!.message).toMatch(/^198\.18\.141\.13 \(w-13\): ssh root@198\.18\.141\.13:22: /);
    expect(nodes[2]!.message_cn).toMatch(CHINESE);
    expect(result.results[0]!.message).toContain(nodes[2]!.message);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      nodes[2]!.message,
      'the CA was put on 2 of 3 nodes',
    ]);
    for (const octet of [11, 12]) expect(lab.host(octet).readFile(CA_FILE)).toBe(pki.ca.cert);
    expect(run.stdout).not.toContain(ROOT_PASSWORD);
  });

  it('updates the CA and the password, keeping what is not given', async () => {
    const other = join(work, 'other-ca.crt');
    const otherCa = pki.otherCa().cert;
    writeFileSync(other, otherCa);
    const run = await topke<RegistryView>(['registry', 'update', registry, '--ca', other], {
      TOPKE_REGISTRY_PASSWORD: '',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.envelope.data).toMatchObject({
      address: `https://${REGISTRY}`,
      user: 'robot',
      has_password: false,
      ca_cert: otherCa,
    });
  });

  it('names what was typed when it is wrong, and deletes the registry', async () => {
    const none = await topke(['registry', 'distribute', registry]);
    expect(none.code).toBe(1);
    expect(none.envelope.error).toMatchObject({ field: 'CLUSTER_UUID' });
    expect(none.envelope.message).toBe(
      'CLUSTER_UUID: needs at least one cluster (got an empty list)',
    );
    const unknown = await topke(['registry', 'frobnicate']);
    expect(unknown.envelope.message).toBe(
      'command: unknown command "registry frobnicate": use registry add, list, update, delete or distribute',
    );

    const deleted = await topke<{ registry_uuid: string }>(['registry', 'delete', registry]);
    expect(deleted.code).toBe(0);
    expect(deleted.envelope.data).toMatchObject({ registry_uuid: registry });
    const listed = await topke<RegistryListResult>(['registry', 'list']);
    expect(listed.envelope.data).toMatchObject({ total_count: 0, list: [] });
  });
});
