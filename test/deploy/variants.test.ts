import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab } from '../lab/lab.js';
import {
  buildHaBundle,
  deployPlan,
  deployRecords,
  docsByKind,
  lines,
  removeDir,
  ROOT_PASSWORD,
  waitForDeploy,
  type Product,
} from './harness.js';
import { deployFixtureHooks } from './fixture-hooks.js';
import { rejection } from '../support/errors.js';

/** dpkg-query stand-in on one host: /usr/local/bin/kubectl belongs to a package there. */
const DPKG_QUERY = `#!/bin/sh
[ "$1" = -S ] || exit 1
shift
found=1
for f in "$@"; do
  if [ "$f" = /usr/local/bin/kubectl ]; then echo "kubectl-pkg: $f"; found=0; fi
done
exit $found
`;
const REGISTRY_PASSWORD = 'registry-Pass-31337';
const REGISTRY_CA = '-----BEGIN CERTIFICATE-----\nMIIBlab0registry0ca\n-----END CERTIFICATE-----\n';

describe('deploy variants', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let product: Product;

  deployFixtureHooks(
    51,
    [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 13, rootPassword: ROOT_PASSWORD },
      {
        octet: 14,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/fail-kubeadm-join': 'this worker cannot join\n' },
      },
      {
        octet: 21,
        rootPassword: ROOT_PASSWORD,
        procFiles: { meminfo: 'MemTotal:         524288 kB\nMemFree:          262144 kB\n' },
      },
      { octet: 22, rootPassword: ROOT_PASSWORD },
      // In no cluster of the history: a request naming a host of another cluster is refused
      // for that before anything else.
      { octet: 24, rootPassword: ROOT_PASSWORD },
      {
        octet: 23,
        rootPassword: ROOT_PASSWORD,
        files: {
          '/usr/local/bin/kubectl': 'kubectl from a package\n',
          '/usr/local/sbin/dpkg-query': DPKG_QUERY,
        },
      },
    ],
    buildHaBundle,
    (f) => {
      ({ lab, bundle, product } = f);
      lab.host(23).exec('chmod 755 /usr/local/sbin/dpkg-query');
    },
  );

  describe('two masters behind a VIP, a managed registry, and one worker allowed to fail', () => {
    let uuid: string;
    let status: Awaited<ReturnType<typeof waitForDeploy>>;
    const registryUuid = randomUUID();

    beforeAll(async () => {
      product.ctx.db
        .prepare(
          'INSERT INTO registries (uuid, address, project, user, password_enc, ca_cert, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          registryUuid,
          'https://reg.lab:5000',
          'library',
          'robot',
          product.ctx.secrets.seal(REGISTRY_PASSWORD),
          REGISTRY_CA,
          1,
        );
      const plan = deployPlan(
        'lab51-ha',
        [lab.host(11), lab.host(12)],
        [lab.host(13), lab.host(14)],
        bundle.dir,
        {
          ServicePodCidr: '10.100.0.0/16',
          PodCidr: '',
          ControlPlaneConfig: {
            KubeProxyConfig: { Mode: 'iptables' },
            HAConfig: { vip: '198.18.51.100', port: 8443 },
          },
          use_managed_registry_project: { registry_uuid: registryUuid, project_name: 'k8s' },
          max_not_failure_worker_node_num: 1,
        },
      );
      uuid = (await product.services.api.deploy(plan)).uuid;
      status = await waitForDeploy(product, uuid);
    });

    it('succeeds, naming the worker that failed within the allowance', () => {
      expect(status.DeployStage.State).toBe('success');
      expect(status.err_info).toContain(lab.host(14).ip);
      expect(status.err_info).toContain('this worker cannot join');
      expect(status.max_not_failure_worker_node_num).toBe(1);
      expect(status.total_status.map((h) => h.message)).toEqual([
        'deployed',
        'deployed',
        'deployed',
        'failed',
      ]);
      const nodes = product.ctx.db
        .prepare('SELECT ip, role, state FROM nodes WHERE cluster_uuid = ? ORDER BY role, position')
        .all(uuid);
      expect(nodes).toEqual([
        { ip: lab.host(11).ip, role: 'master', state: 'running' },
        { ip: lab.host(12).ip, role: 'master', state: 'running' },
        { ip: lab.host(13).ip, role: 'worker', state: 'running' },
        { ip: lab.host(14).ip, role: 'worker', state: 'failed' },
      ]);
      const row = product.ctx.db
        .prepare('SELECT state, state_desc, is_high_available FROM clusters WHERE uuid = ?')
        .get(uuid);
      expect(row).toMatchObject({ state: 'running', is_high_available: 1 });
      expect((row as { state_desc: string }).state_desc).toContain(lab.host(14).ip);
    });

    it('initializes with the VIP endpoint and the registry, and joins the second master to the control plane', () => {
      const docs = docsByKind(lab.host(11).readFile('/var/lib/topke-standin/kubeadm-init.yaml'));
      const init = docs.InitConfiguration as { certificateKey: string };
      expect(docs.ClusterConfiguration).toMatchObject({
        controlPlaneEndpoint: '198.18.51.100:8443',
        imageRepository: 'reg.lab:5000/k8s',
        networking: { podSubnet: '192.168.0.0/16', serviceSubnet: '10.100.0.0/16' },
      });
      expect(
        (docs.ClusterConfiguration as { apiServer: { certSANs: string[] } }).apiServer.certSANs,
      ).toEqual(expect.arrayContaining(['198.18.51.100', lab.host(11).ip, lab.host(12).ip]));
      expect(init.certificateKey).toMatch(/^[0-9a-f]{64}$/);
      const join = JSON.parse(lab.host(12).readFile('/var/lib/topke-standin/join.json')) as Record<
        string,
        unknown
      >;
      expect(join).toMatchObject({
        controlPlane: true,
        certificateKey: init.certificateKey,
        endpoint: '198.18.51.100:8443',
        advertiseAddress: lab.host(12).ip,
        nodeName: 'm-12',
      });
      expect(lines(lab.host(11).readFile('/var/lib/topke-standin/tokens'))).toContain(join.token);
      expect(lab.host(11).readFile('/var/lib/topke-standin/calls.log')).toContain(
        `kubeadm init phase upload-certs --upload-certs --certificate-key ${init.certificateKey}`,
      );
      expect(JSON.stringify(status)).not.toContain(init.certificateKey);
      const everything = JSON.stringify(product.ctx.db.prepare('SELECT * FROM deploy_steps').all());
      expect(everything).not.toContain(init.certificateKey);
    });

    it('runs kube-vip on each master: the VIP on the interface of its address, its port forwarded to 6443', () => {
      const manifest = '/etc/kubernetes/manifests/kube-vip.yaml';
      // The first master holds the VIP through kubeadm init, before admin.conf has its rights.
      const kubeconfigs = { 11: 'super-admin.conf', 12: 'admin.conf' } as const;
      for (const octet of [11, 12] as const) {
        const host = lab.host(octet);
        const pod = parse(host.readFile(manifest)) as {
          metadata: { name: string; namespace: string };
          spec: {
            hostNetwork: boolean;
            containers: { image: string; env: { name: string; value: string }[] }[];
            volumes: { hostPath: { path: string; type: string } }[];
          };
        };
        expect(pod.metadata).toMatchObject({ name: 'kube-vip', namespace: 'kube-system' });
        expect(pod.spec.hostNetwork).toBe(true);
        const [container] = pod.spec.containers;
        expect(container!.image).toBe('reg.lab:5000/k8s/kube-vip:v0.8.9');
        expect(Object.fromEntries(container!.env.map((e) => [e.name, e.value]))).toMatchObject({
          vip_arp: 'true',
          address: '198.18.51.100',
          vip_interface: 'eth0',
          vip_cidr: '32',
          vip_nodename: `m-${octet}`,
          port: '6443',
          cp_enable: 'true',
          vip_leaderelection: 'true',
          lb_enable: 'true',
          lb_port: '8443',
          lb_fwdmethod: 'masquerade',
        });
        expect(pod.spec.volumes[0]!.hostPath).toEqual({
          path: `/etc/kubernetes/${kubeconfigs[octet]}`,
          type: 'File',
        });
        expect(host.exec(`stat -c %a ${manifest}`).trim()).toBe('600');
        expect(lines(host.readFile('/var/lib/topke-standin/modules'))).toEqual(
          expect.arrayContaining(['ip_vs', 'ip_vs_rr', 'nf_conntrack']),
        );
      }
      expect(lab.host(13).exec(`test -e ${manifest} && echo present || echo absent`).trim()).toBe(
        'absent',
      );
      const order = (ip: string) =>
        status.steps.filter((s) => s.host === ip && s.stage === 1).map((s) => s.step);
      expect(order(lab.host(11).ip)).toEqual([
        'kubeadm config',
        'kube-vip',
        'kubeadm init',
        'network plugin',
        'control-plane join command',
      ]);
      expect(order(lab.host(12).ip)).toEqual(['join control plane', 'kube-vip']);
    });

    it('points containerd at the registry with its CA and credentials', () => {
      const host = lab.host(13);
      const config = host.readFile('/etc/containerd/config.toml');
      expect(config).toContain('sandbox_image = "reg.lab:5000/k8s/pause:3.9"');
      expect(config).toContain('config_path = "/etc/containerd/certs.d"');
      expect(config).toContain('username = "robot"');
      expect(host.exec('stat -c %a /etc/containerd/config.toml').trim()).toBe('600');
      expect(host.readFile('/etc/containerd/certs.d/reg.lab:5000/ca.crt')).toBe(REGISTRY_CA);
      const hosts = host.readFile('/etc/containerd/certs.d/reg.lab:5000/hosts.toml');
      expect(hosts).toContain('server = "https://reg.lab:5000"');
      expect(hosts).toContain('ca = "/etc/containerd/certs.d/reg.lab:5000/ca.crt"');
      const mirror = host.readFile('/etc/containerd/certs.d/docker.io/hosts.toml');
      expect(mirror).toContain('[host."https://reg.lab:5000/v2/k8s"]');
      expect(mirror).toContain('override_path = true');
    });

    it('keeps the registry password out of the records and the status', () => {
      const everything = deployRecords(product);
      expect(everything).not.toContain(REGISTRY_PASSWORD);
      expect(JSON.stringify(status)).not.toContain(REGISTRY_PASSWORD);
    });
  });

  it('stops at preflight, naming the host and the check, before any host is changed', async () => {
    const plan = deployPlan('lab51-small', [lab.host(21)], [lab.host(22)], bundle.dir);
    const { uuid } = await product.services.api.deploy(plan);
    const status = await waitForDeploy(product, uuid);
    expect(status.DeployStage.State).toBe('failed');
    expect(status.DeployStage.CurrentStage).toBe(0);
    expect(status.err_info).toMatch(
      new RegExp(`${lab.host(21).ip.replaceAll('.', '\\.')} memory: `),
    );
    expect(status.DeployStage.Stages[0]!.error).toBe(status.err_info);
    expect(status.steps.map((s) => [s.host, s.step, s.state])).toEqual([
      [lab.host(21).ip, 'connect', 'ok'],
      [lab.host(22).ip, 'connect', 'ok'],
      [lab.host(21).ip, 'preflight', 'failed'],
      [lab.host(22).ip, 'preflight', 'ok'],
    ]);
    for (const octet of [21, 22])
      expect(lab.host(octet).exec('ls /opt/topke 2>/dev/null || echo none').trim()).toBe('none');
  });

  it('never installs over a file the OS package manager owns', async () => {
    const host = lab.host(23);
    const { uuid } = await product.services.api.deploy(
      deployPlan('lab51-owned', [host], [], bundle.dir),
    );
    const status = await waitForDeploy(product, uuid);
    expect(status.DeployStage.State).toBe('failed');
    expect(status.err_info).toContain(
      `${host.ip} (m-23) step "install binaries" failed with exit code 3`,
    );
    expect(status.err_info).toContain('kubectl-pkg: /usr/local/bin/kubectl');
    expect(host.readFile('/usr/local/bin/kubectl')).toBe('kubectl from a package\n');
    expect(host.exec('ls /usr/local/bin')).not.toContain('kubeadm');
  });

  it('refuses a bad request before anything is recorded or touched', async () => {
    const count = () =>
      (product.ctx.db.prepare('SELECT count(*) AS n FROM deploys').get() as { n: number }).n;
    const before = count();
    const api = product.services.api;
    const base = () => deployPlan('lab51-bad', [lab.host(24)], [], bundle.dir);
    expect(await rejection(api.deploy({ ...base(), KubernetesVersion: 'v1.29.0' }))).toMatchObject({
      code: 'invalid_field',
      field: 'KubernetesVersion',
    });
    expect(
      await rejection(api.deploy({ ...base(), node_list: [{ IP: lab.host(24).ip }] })),
    ).toMatchObject({
      code: 'invalid_field',
      field: 'node_list[0].IP',
    });
    const noSsh = base();
    delete noSsh.ssh;
    expect(await rejection(api.deploy(noSsh))).toMatchObject({
      code: 'invalid_field',
      field: 'master_list[0].ssh',
    });

    const noKubeVip = join(mkdtempSync(join(tmpdir(), 'topke-no-kube-vip-')), 'bundle');
    cpSync(bundle.dir, noKubeVip, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(noKubeVip, 'manifest.json'), 'utf8')) as object;
    writeFileSync(join(noKubeVip, 'manifest.json'), JSON.stringify({ ...manifest, images: {} }));
    const ha = {
      ...base(),
      bundle_path: noKubeVip,
      ControlPlaneConfig: { HAConfig: { vip: '198.18.51.101', port: 8443 } },
    };
    const noVip = await rejection(api.deploy(ha));
    expect(noVip).toMatchObject({ code: 'invalid_field', field: 'bundle_path' });
    expect(noVip.message).toContain('names no kube-vip image');
    removeDir(join(noKubeVip, '..'));

    const tampered = join(mkdtempSync(join(tmpdir(), 'topke-tampered-')), 'bundle');
    cpSync(bundle.dir, tampered, { recursive: true });
    writeFileSync(
      join(tampered, 'bin/kubelet'),
      '#!/bin/sh\necho not the kubelet of the manifest  \n',
    );
    const err = await rejection(api.deploy({ ...base(), bundle_path: tampered }));
    expect(err).toMatchObject({ code: 'bundle_invalid', field: 'bundle_path' });
    expect(err.message).toContain('bin/kubelet');
    removeDir(join(tampered, '..'));

    expect(count()).toBe(before);
    expect(
      product.ctx.db.prepare('SELECT count(*) AS n FROM clusters WHERE name = ?').get('lab51-bad'),
    ).toEqual({ n: 0 });
    expect(lab.host(24).exec('ls /opt/topke 2>/dev/null || echo none').trim()).toBe('none');
  });
});
