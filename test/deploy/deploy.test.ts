import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProgressEvent } from '../../main/contract/operations.js';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab, LabHost } from '../lab/lab.js';
import {
  deployPlan,
  deployRecords,
  docsByKind,
  lines,
  ROOT_PASSWORD,
  sshdCounts,
  sshdCountsDuring,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from './harness.js';

const SUDO_PASSWORD = 'deployer-Sudo-42';
const FAILURE = 'error execution phase kubelet-start: injected failure for the test\n';
const STAGE_NAMES = [
  'init node status',
  'setup masters',
  'update cluster certificate',
  'setup workers',
];

/** Each node's address and state as cluster get shows them, by address. */
async function nodeStates(product: Product, uuid: string): Promise<[string, string][]> {
  const { list } = await product.services.api.clusterGet({ uuid });
  return list[0]!.nodes
    .map((n): [string, string] => [n.ip, n.state])
    .sort(([a], [b]) => a.localeCompare(b));
}

describe('deploy over SSH onto lab hosts', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let product: Product;
  let master: LabHost;
  let workers: LabHost[];
  let fixture: DeployFixture | undefined;

  beforeAll(async () => {
    fixture = await startDeployFixture(50, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      {
        octet: 13,
        rootPassword: ROOT_PASSWORD,
        users: [{ name: 'deployer', password: SUDO_PASSWORD, sudo: 'password' }],
        files: { '/etc/fstab': '/dev/sda1 / ext4 defaults 0 1\n/dev/sdb1 none swap sw 0 0\n' },
      },
      { octet: 14, rootPassword: ROOT_PASSWORD },
      { octet: 21, rootPassword: ROOT_PASSWORD },
      {
        octet: 22,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/fail-kubeadm-join': FAILURE },
      },
      { octet: 23, rootPassword: ROOT_PASSWORD },
      { octet: 31, rootPassword: ROOT_PASSWORD },
      {
        octet: 32,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/fail-kubeadm-join': FAILURE },
      },
      { octet: 33, rootPassword: ROOT_PASSWORD },
      { octet: 34, rootPassword: ROOT_PASSWORD },
    ]);
    ({ lab, bundle, product } = fixture);
    master = lab.host(11);
    workers = [lab.host(12), lab.host(13)];
  });

  afterAll(() => fixture?.teardown());

  describe('1 master + 2 workers', () => {
    let uuid: string;
    let status: Awaited<ReturnType<typeof waitForDeploy>>;
    const events: ProgressEvent[] = [];

    beforeAll(async () => {
      const stop = product.ctx.events.subscribe((e) => events.push(e));
      const plan = deployPlan('lab50', [master], workers, bundle.archive);
      // The second worker logs in as a user who becomes root with sudo and a password.
      plan.node_list![1]!.ssh = { user: 'deployer', password: SUDO_PASSWORD };
      uuid = (await product.services.api.deploy(plan)).uuid;
      status = await waitForDeploy(product, uuid);
      stop();
    });

    it('streams progress events and keeps a log of the deploy', () => {
      const mine = events.filter((e) => e.kind === 'deploy' && e.uuid === uuid);
      expect(mine).toContainEqual(
        expect.objectContaining({
          stage: 3,
          host: workers[0]!.ip,
          step: 'join cluster',
          state: 'ok',
        }),
      );
      expect(mine.at(-1)).toMatchObject({
        kind: 'deploy',
        deploy_id: status.deploy_id,
        state: 'success',
      });
      const logs = product.ctx.db
        .prepare('SELECT message FROM deploy_logs WHERE deploy_id = ? ORDER BY id')
        .all(status.deploy_id) as { message: string }[];
      expect(logs.map((l) => l.message)).toContain('stage "setup workers" finished');
      expect(logs.map((l) => l.message)).toContain('kubeadm init: ok');
    });

    it('used one SSH connection per host for the whole deploy', () => {
      for (const host of [master, ...workers])
        expect(sshdCounts(host)).toEqual({ connections: 1, logins: 1 });
    });

    it('logged in to the second worker as a sudo user', () => {
      const connect = status.steps.find((s) => s.host === workers[1]!.ip && s.step === 'connect')!;
      expect(connect.output).toContain('logged in as deployer');
      // Installed as root through sudo: owned by root, in a root-only folder.
      expect(
        workers[1]!.exec('stat -c %U /usr/local/bin/kubeadm /etc/containerd/config.toml'),
      ).toBe('root\nroot\n');
    });

    it('finishes every stage, with the spec status fields', () => {
      expect(status.err_info).toBe('');
      expect(status.err_info_cn).toBe('');
      expect(status.DeployStage.State).toBe('success');
      expect(status.DeployStage.Name).toBe('topke_deploy_lab50');
      expect(status.DeployStage.CurrentStage).toBe(3);
      expect(status.DeployStage.Stages.map((s) => s.name)).toEqual(STAGE_NAMES);
      expect(status.DeployStage.Stages.map((s) => s.name_cn)).toEqual([
        '注册集群信息到部署节点',
        '部署管理节点, 该过程会持续4-6分钟',
        '更新集群证书',
        '部署工作节点',
      ]);
      for (const stage of status.DeployStage.Stages) {
        expect(stage).toMatchObject({
          success: true,
          is_finish: true,
          error: null,
          error_cn: null,
        });
        expect(stage.end_time).toBeGreaterThanOrEqual(stage.start_time);
        expect(stage.start_time).toBeGreaterThan(0);
      }
      expect(status.is_over).toBe(true);
      expect(status.uuid).toBe(uuid);
      expect(status.OwnerInfo).toEqual({
        ClusterUUID: uuid,
        ClusterName: 'lab50',
        ExtraMessage: '',
      });
      expect(status.creat_time).toBeGreaterThan(1_600_000_000);
      expect(status.total_status.map((h) => [h.addr, h.message])).toEqual([
        [master.ip, 'deployed'],
        [workers[0]!.ip, 'deployed'],
        [workers[1]!.ip, 'deployed'],
      ]);
      expect(status.master_list).toEqual([{ IP: master.ip, NodeName: 'm-11', Priority: 0 }]);
      expect(status.node_list.map((n) => n.NodeName)).toEqual(['w-12', 'w-13']);
      expect(status.PodCidr).toBe('10.244.0.0/16');
      expect(status.ServicePodCidr).toBe('10.96.0.0/12');
      expect(status.KubernetesVersion).toBe('v1.30.2');
      expect(status.ControlPlaneConfig.KubeProxyConfig).toEqual({ Mode: 'ipvs' });
      expect(status.ControlPlaneConfig.NetworkPluginConfig.CalicoConfig.Version).toBe('v3.27.3');
      expect(status.max_not_failure_worker_node_num).toBeNull();
    });

    it('records every step of every host with its result', () => {
      const stepsOf = (ip: string) =>
        status.steps.filter((s) => s.host === ip).map((s) => [s.step, s.state]);
      for (const host of [master, ...workers]) {
        expect(stepsOf(host.ip).slice(0, 9)).toEqual([
          ['connect', 'ok'],
          ['preflight', 'ok'],
          ['upload bundle', 'ok'],
          ['verify bundle', 'ok'],
          ['install binaries', 'ok'],
          ['install systemd units', 'ok'],
          ['kernel settings', 'ok'],
          ['container runtime', 'ok'],
          ['import images', 'ok'],
        ]);
      }
      expect(stepsOf(master.ip).slice(9)).toEqual([
        ['kubeadm config', 'ok'],
        ['kubeadm init', 'ok'],
        ['network plugin', 'ok'],
        ['check certificates', 'ok'],
        ['fetch kubeconfig', 'ok'],
        ['worker join command', 'ok'],
      ]);
      for (const w of workers) expect(stepsOf(w.ip).slice(9)).toEqual([['join cluster', 'ok']]);
      for (const step of status.steps) expect(step).toMatchObject({ error: null, error_cn: null });
      expect(status.steps.find((s) => s.step === 'upload bundle')!.step_cn).toBe('上传安装包');
      const init = status.steps.find((s) => s.step === 'kubeadm init')!;
      expect(init.output).toContain('Your Kubernetes control-plane has initialized successfully!');
      expect(init.output).toContain('--token [token]');
    });

    it('puts the bundle on every host with matching sha256, read on the host', () => {
      for (const host of [master, ...workers]) {
        const dirs = lines(host.exec('ls /opt/topke/bundles'));
        expect(dirs).toHaveLength(1);
        expect(dirs[0]).toMatch(/^v1\.30\.2-[0-9a-f]{12}$/);
        const sums = lines(
          host.exec(
            `cd /opt/topke/bundles/${dirs[0]} && sha256sum ${bundle.manifest.files.map((f) => f.path).join(' ')}`,
          ),
        );
        const onHost = new Map(sums.map((l) => [l.split(/\s+/)[1], l.split(/\s+/)[0]]));
        for (const file of bundle.manifest.files) expect(onHost.get(file.path)).toBe(file.sha256);
        for (const bin of ['kubeadm', 'kubelet', 'kubectl', 'containerd', 'ctr', 'runc'])
          expect(host.exec(`sha256sum /usr/local/bin/${bin}`).split(' ')[0]).toBe(
            bundle.manifest.files.find((f) => f.path === `bin/${bin}`)!.sha256,
          );
      }
    });

    it('configures the runtime and imports the images on every host', () => {
      for (const host of [master, ...workers]) {
        const config = host.readFile('/etc/containerd/config.toml');
        expect(config).toMatch(/SystemdCgroup = true/);
        expect(config).toContain('sandbox_image = "registry.k8s.io/pause:3.9"');
        expect(lines(host.readFile('/var/lib/topke-standin/images'))).toEqual([
          'k8s.io registry.k8s.io/pause:3.9',
          'k8s.io docker.io/calico/node:v3.27.3',
        ]);
        expect(host.exec('ls /var/lib/topke-standin/units')).toMatch(
          /containerd\.enabled[\s\S]*kubelet\.enabled/,
        );
        expect(host.readFile('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf')).toContain(
          '/usr/local/bin/kubelet',
        );
        expect(host.readFile('/etc/sysctl.d/99-topke-kubernetes.conf')).toContain(
          'net.ipv4.ip_forward = 1',
        );
        expect(host.readFile('/etc/modules-load.d/topke-kubernetes.conf')).toContain(
          'br_netfilter',
        );
      }
      expect(workers[1]!.readFile('/etc/fstab')).toBe(
        '/dev/sda1 / ext4 defaults 0 1\n# /dev/sdb1 none swap sw 0 0\n',
      );
    });

    it('ran kubeadm init with a configuration whose values match the request', () => {
      const docs = docsByKind(master.readFile('/var/lib/topke-standin/kubeadm-init.yaml'));
      const init = docs.InitConfiguration as {
        nodeRegistration: { name: string };
        localAPIEndpoint: { advertiseAddress: string };
      };
      const cluster = docs.ClusterConfiguration as {
        kubernetesVersion: string;
        controlPlaneEndpoint: string;
        networking: { podSubnet: string; serviceSubnet: string };
        apiServer: { certSANs: string[] };
        clusterName: string;
        imageRepository?: string;
      };
      expect(init.nodeRegistration.name).toBe('m-11');
      expect(init.localAPIEndpoint.advertiseAddress).toBe(master.ip);
      expect(cluster.kubernetesVersion).toBe('v1.30.2');
      expect(cluster.clusterName).toBe('lab50');
      expect(cluster.controlPlaneEndpoint).toBe(`${master.ip}:6443`);
      expect(cluster.networking).toMatchObject({
        podSubnet: '10.244.0.0/16',
        serviceSubnet: '10.96.0.0/12',
      });
      expect(cluster.apiServer.certSANs).toEqual(expect.arrayContaining([master.ip, 'm-11']));
      expect(cluster.imageRepository).toBeUndefined();
      expect(docs.KubeProxyConfiguration).toMatchObject({ mode: 'ipvs' });
      expect(docs.KubeletConfiguration).toMatchObject({ cgroupDriver: 'systemd' });
      expect(master.readFile('/var/lib/topke-standin/calls.log')).toMatch(
        /^kubeadm init --config \S+ --upload-certs$/m,
      );
      expect(status.ControlPlaneConfig.ConfigYaml).toContain('podSubnet: 10.244.0.0/16');
      expect(status.ControlPlaneConfig.ConfigYaml).not.toContain('certificateKey');
    });

    it('applied Calico with the pod CIDR', () => {
      const applied = master.readFile('/var/lib/topke-standin/applied/calico.yaml');
      const ds = docsByKind(applied).DaemonSet as {
        spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
      };
      expect(ds.spec.template.spec.containers[0]!.env).toContainEqual({
        name: 'CALICO_IPV4POOL_CIDR',
        value: '10.244.0.0/16',
      });
    });

    it('joined the workers with the token the master printed', () => {
      const printed = lines(master.readFile('/var/lib/topke-standin/tokens'));
      const state = JSON.parse(master.readFile('/var/lib/topke-standin/cluster.json')) as {
        hash: string;
      };
      for (const [i, w] of workers.entries()) {
        const join = JSON.parse(w.readFile('/var/lib/topke-standin/join.json')) as Record<
          string,
          unknown
        >;
        expect(printed).toContain(join.token);
        expect(join).toMatchObject({
          endpoint: `${master.ip}:6443`,
          hash: `sha256:${state.hash}`,
          controlPlane: false,
          nodeName: `w-${12 + i}`,
        });
      }
    });

    it('keeps the cluster as running, with its kubeconfig sealed and no secret in clear', async () => {
      const db = product.ctx.db;
      const row = db.prepare('SELECT * FROM clusters WHERE uuid = ?').get(uuid) as Record<
        string,
        unknown
      >;
      expect(row).toMatchObject({
        state: 'running',
        source: 'deployed',
        name: 'lab50',
        kube_version: 'v1.30.2',
      });
      expect(row.api_server).toBe(`https://${master.ip}:6443`);
      expect(product.ctx.secrets.open(row.kubeconfig_enc as Buffer)).toBe(
        master.readFile('/etc/kubernetes/admin.conf'),
      );
      expect(row.cert_expiry as number).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);
      expect(JSON.parse(row.settings as string)).toMatchObject({
        PodCidr: '10.244.0.0/16',
        KubernetesVersion: 'v1.30.2',
      });
      const nodes = db
        .prepare(
          'SELECT ip, node_name, role, state, position FROM nodes WHERE cluster_uuid = ? ORDER BY role, position',
        )
        .all(uuid);
      expect(nodes).toEqual([
        { ip: master.ip, node_name: 'm-11', role: 'master', state: 'running', position: 0 },
        { ip: workers[0]!.ip, node_name: 'w-12', role: 'worker', state: 'running', position: 0 },
        { ip: workers[1]!.ip, node_name: 'w-13', role: 'worker', state: 'running', position: 1 },
      ]);

      const everything = deployRecords(product);
      expect(everything).not.toContain(ROOT_PASSWORD);
      expect(everything).not.toContain(SUDO_PASSWORD);
      const admin = parse(master.readFile('/etc/kubernetes/admin.conf')) as {
        users: { user: Record<string, string> }[];
      };
      expect(everything).not.toContain(admin.users[0]!.user['client-key-data']);
      for (const token of lines(master.readFile('/var/lib/topke-standin/tokens'))) {
        expect(everything).not.toContain(token);
        expect(JSON.stringify(status)).not.toContain(token);
      }
      expect(JSON.stringify(status)).not.toContain(ROOT_PASSWORD);
      const listed = await product.services.api.clusterList({});
      expect(listed.list.find((c) => c.uuid === uuid)).toMatchObject({
        state: 'running',
        name: 'lab50',
      });
    });

    it('adds a worker with the stored credentials and a fresh token', async () => {
      const extra = lab.host(14);
      let after!: Awaited<ReturnType<typeof waitForDeploy>>;
      // One connection to the new worker and one to the master (the join command), nothing to
      // the workers already there.
      const opened = await sshdCountsDuring([extra, master, ...workers], async () => {
        const { uuid: same } = await product.services.api.nodeCreate({
          uuid,
          node_list: [{ IP: extra.ip, NodeName: 'w-14' }],
        });
        expect(same).toBe(uuid);
        after = await waitForDeploy(product, uuid);
      });
      expect(opened).toEqual([
        { connections: 1, logins: 1 },
        { connections: 1, logins: 1 },
        { connections: 0, logins: 0 },
        { connections: 0, logins: 0 },
      ]);
      expect(after.err_info).toBe('');
      expect(after.DeployStage.State).toBe('success');
      expect(after.deploy_id).not.toBe(status.deploy_id);
      expect(after.total_status.map((h) => [h.addr, h.message])).toEqual([[extra.ip, 'deployed']]);
      const join = JSON.parse(extra.readFile('/var/lib/topke-standin/join.json')) as {
        token: string;
        nodeName: string;
      };
      expect(join.nodeName).toBe('w-14');
      const printed = lines(master.readFile('/var/lib/topke-standin/tokens'));
      expect(printed.at(-1)).toBe(join.token);
      expect(printed).toHaveLength(3);
      const nodes = product.ctx.db
        .prepare(
          'SELECT ip, state, position FROM nodes WHERE cluster_uuid = ? AND role = ? ORDER BY position',
        )
        .all(uuid, 'worker');
      expect(nodes).toEqual([
        { ip: workers[0]!.ip, state: 'running', position: 0 },
        { ip: workers[1]!.ip, state: 'running', position: 1 },
        { ip: extra.ip, state: 'running', position: 2 },
      ]);
      const again = await product.services.api
        .nodeCreate({ uuid, node_list: [{ IP: extra.ip }] })
        .catch((e: unknown) => e);
      expect(again).toMatchObject({ code: 'invalid_field', field: 'node_list[0].IP' });
    });
  });

  describe('a worker that fails a step', () => {
    let uuid: string;
    let status: Awaited<ReturnType<typeof waitForDeploy>>;
    const failingIp = () => lab.host(22).ip;

    beforeAll(async () => {
      const started = await product.services.api.deploy(
        deployPlan('lab50-fail', [lab.host(21)], [lab.host(22)], bundle.dir),
      );
      uuid = started.uuid;
      status = await waitForDeploy(product, uuid);
    });

    it('reports the host, the step and the output', () => {
      expect(status.DeployStage.State).toBe('failed');
      expect(status.is_over).toBe(true);
      expect(status.DeployStage.CurrentStage).toBe(3);
      expect(status.err_info).toContain(failingIp());
      expect(status.err_info).toContain('join cluster');
      expect(status.err_info).toContain('exit code 1');
      expect(status.err_info).toContain('injected failure for the test');
      // The command is named once, on the first line, not again as the output's "$ ..." line.
      const [first, ...rest] = status.err_info.split('\n');
      expect(first).toMatch(/ failed with exit code 1: '\/usr\/local\/bin\/kubeadm' 'join' /);
      expect(rest.some((line) => line.includes("'join'"))).toBe(false);
      const stages = status.DeployStage.Stages;
      expect(stages.slice(0, 3).every((s) => s.success && s.is_finish)).toBe(true);
      expect(stages[3]).toMatchObject({ success: false, is_finish: true });
      expect(stages[3]!.error).toBe(status.err_info);
      const failed = status.steps.find((s) => s.host === failingIp() && s.step === 'join cluster')!;
      expect(failed.state).toBe('failed');
      expect(failed.output).toContain('injected failure for the test');
      expect(status.total_status.find((h) => h.addr === failingIp())!.message).toBe('failed');
    });

    it('says the same in Chinese: host, step and exit code in Chinese words, the output as it is', () => {
      const cn = status.err_info_cn;
      expect(cn).toContain(
        `${failingIp()}（w-22）的步骤“加入集群”（join cluster）失败，退出码 1：`,
      );
      expect(cn).toContain("'/usr/local/bin/kubeadm' 'join'");
      expect(cn).toContain(FAILURE.trim());
      expect(cn).not.toContain('step "');
      expect(status.DeployStage.Stages[3]!.error_cn).toBe(cn);
      expect(status.DeployStage.Stages.slice(0, 3).map((s) => s.error_cn)).toEqual([
        null,
        null,
        null,
      ]);
    });

    it('keeps why the step failed beside its output, in both languages', () => {
      const failed = status.steps.find((s) => s.host === failingIp() && s.step === 'join cluster')!;
      expect(failed.step_cn).toBe('加入集群');
      expect(failed.error).toMatch(
        /^"'\/usr\/local\/bin\/kubeadm' 'join' .* '--token' '\[token\]' .*" exited with 1$/,
      );
      expect(failed.error_cn).toBe(
        `“${failed.error!.slice(1, failed.error!.lastIndexOf('"'))}”以退出码 1 结束`,
      );
      const others = status.steps.filter((s) => s !== failed);
      expect(others.every((s) => s.error === null && s.error_cn === null)).toBe(true);
    });

    it('says where each host ended, as the cluster record does', async () => {
      expect(
        status.total_status.map(({ addr, message, step, step_cn }) => ({
          addr,
          message,
          step,
          step_cn,
        })),
      ).toEqual([
        // The master's own work was over: the control plane runs.
        {
          addr: lab.host(21).ip,
          message: 'deployed',
          step: 'worker join command',
          step_cn: '生成工作节点加入命令',
        },
        { addr: failingIp(), message: 'failed', step: 'join cluster', step_cn: '加入集群' },
      ]);
      expect(await nodeStates(product, uuid)).toEqual([
        [lab.host(21).ip, 'running'],
        [failingIp(), 'failed'],
      ]);
    });

    it('keeps the other records intact', async () => {
      const ok = status.steps.filter((s) => s.host === lab.host(21).ip);
      expect(ok.length).toBeGreaterThanOrEqual(14);
      expect(ok.every((s) => s.state === 'ok')).toBe(true);
      const db = product.ctx.db;
      expect(db.prepare('SELECT state FROM clusters WHERE uuid = ?').get(uuid)).toEqual({
        state: 'failed',
      });
      const row = db.prepare('SELECT kubeconfig_enc FROM clusters WHERE uuid = ?').get(uuid) as {
        kubeconfig_enc: Buffer;
      };
      expect(product.ctx.secrets.open(row.kubeconfig_enc)).toContain('kubernetes-admin');
      const first = await product.services.api.clusterList({});
      expect(first.list.find((c) => c.name === 'lab50')).toMatchObject({ state: 'running' });
    });

    it('resumes under the same uuid once the cause is gone, skipping what is done', async () => {
      lab.host(22).exec('rm /etc/topke-standin/fail-kubeadm-join');
      const again = await product.services.api.deploy(
        deployPlan('lab50-fail', [lab.host(21)], [lab.host(22)], bundle.dir),
      );
      expect(again.uuid).toBe(uuid);
      const resumed = await waitForDeploy(product, uuid);
      expect(resumed.err_info).toBe('');
      expect(resumed.DeployStage.State).toBe('success');
      const state = (ip: string, step: string) =>
        resumed.steps.find((s) => s.host === ip && s.step === step)?.state;
      expect(state(lab.host(21).ip, 'upload bundle')).toBe('skipped');
      expect(state(lab.host(21).ip, 'install binaries')).toBe('skipped');
      expect(state(lab.host(21).ip, 'kubeadm init')).toBe('skipped');
      expect(state(failingIp(), 'join cluster')).toBe('ok');
      const previous = product.ctx.db
        .prepare('SELECT state, err_info FROM deploys WHERE cluster_uuid = ? ORDER BY rowid')
        .all(uuid);
      expect(previous).toHaveLength(2);
      expect(previous[0]).toMatchObject({ state: 'failed' });
      expect(product.ctx.db.prepare('SELECT state FROM clusters WHERE uuid = ?').get(uuid)).toEqual(
        { state: 'running' },
      );
    });
  });

  describe('a master that fails to join the control plane', () => {
    let uuid: string;
    let status: Awaited<ReturnType<typeof waitForDeploy>>;
    const ipOf = (octet: number) => () => lab.host(octet).ip;
    const [first, failing, waiting, worker] = [ipOf(31), ipOf(32), ipOf(33), ipOf(34)];

    beforeAll(async () => {
      const plan = deployPlan(
        'lab50-masters',
        [lab.host(31), lab.host(32), lab.host(33)],
        [lab.host(34)],
        bundle.dir,
      );
      uuid = (await product.services.api.deploy(plan)).uuid;
      status = await waitForDeploy(product, uuid);
    });

    it('fails in stage 1 at the join, and the next master never joins', () => {
      expect(status.DeployStage).toMatchObject({ State: 'failed', CurrentStage: 1 });
      expect(status.err_info).toContain(`${failing()} (m-32) step "join control plane" failed`);
      expect(status.steps.filter((s) => s.host === waiting() && s.stage === 1)).toEqual([]);
    });

    it('says where each host ended: failed at its step, or stopped after its last one', async () => {
      expect(status.total_status.map((h) => [h.addr, h.message, h.step])).toEqual([
        // Initialized, but its stage never finished: the certificates were not reached.
        [first(), 'stopped', 'control-plane join command'],
        [failing(), 'failed', 'join control plane'],
        // Waiting for its turn to join, and the worker for its stage.
        [waiting(), 'stopped', 'import images'],
        [worker(), 'stopped', 'import images'],
      ]);
      expect(status.total_status.find((h) => h.addr === waiting())!.step_cn).toBe('导入镜像');
      expect(await nodeStates(product, uuid)).toEqual([
        [first(), 'stopped'],
        [failing(), 'failed'],
        [waiting(), 'stopped'],
        [worker(), 'stopped'],
      ]);
      const listed = await product.services.api.deployList({ uuid });
      expect(listed.list[0]!.hosts.map((h) => [h.addr, h.role, h.message, h.step])).toEqual(
        status.total_status.map((h, i) => [h.addr, i < 3 ? 'master' : 'worker', h.message, h.step]),
      );
    });
  });

  describe('a host that refuses the password', () => {
    let status: Awaited<ReturnType<typeof waitForDeploy>>;
    const host = () => lab.host(23);

    beforeAll(async () => {
      const plan = deployPlan('lab50-login', [host()], [], bundle.dir, {
        ssh: { user: 'root', password: 'not-the-password', port: 22 },
      });
      status = await waitForDeploy(product, (await product.services.api.deploy(plan)).uuid);
    });

    it('names the host, the user and the methods tried and allowed, in English and Chinese', () => {
      const who = `root@${host().ip}:22`;
      expect(status.DeployStage.State).toBe('failed');
      expect(status.err_info).toContain(`${host().ip} (m-23) step "connect" failed: ssh ${who}:`);
      expect(status.err_info).toMatch(
        /authentication failed \(tried: [^;]*password[^;]*; the server allows: [^)]*password/,
      );
      expect(status.err_info_cn).toContain(
        `${host().ip}（m-23）的步骤“登录主机”（connect）失败：ssh ${who}：`,
      );
      expect(status.err_info_cn).toMatch(
        /认证失败（已尝试：[^；]*password[^；]*；服务器允许：[^）]*password/,
      );
      expect(status.DeployStage.Stages[0]).toMatchObject({
        error: status.err_info,
        error_cn: status.err_info_cn,
      });
      const connect = status.steps.find((s) => s.step === 'connect')!;
      expect(connect).toMatchObject({ state: 'failed', step_cn: '登录主机' });
      expect(connect.error).toMatch(new RegExp(`^ssh ${who}: authentication failed`));
      expect(connect.error_cn).toMatch(new RegExp(`^ssh ${who}：认证失败`));
      expect(deployRecords(product)).not.toContain('not-the-password');
    });
  });
});
