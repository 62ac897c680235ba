import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BundleManifest } from '../../main/bundle/manifest.js';
import { interfaceCarrying } from '../../main/deploy/kube-vip.js';
import {
  kubeVipImage,
  kubeVipKubeconfig,
  renderKubeVipManifest,
} from '../../main/deploy/kube-vip-manifest.js';
import type { PrivateRegistry } from '../../main/deploy/registry.js';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab } from '../lab/lab.js';
import {
  buildHaBundle,
  deployPlan,
  KUBE_VIP_IMAGE,
  waitForDeploy,
  type Product,
} from './harness.js';
import { deployFixtureHooks } from './fixture-hooks.js';

const IP_ADDR = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: ens192    inet 10.30.100.68/24 brd 10.30.100.255 scope global ens192\\       valid_lft forever preferred_lft forever
3: br-ex@bond0    inet 172.16.0.9/16 brd 172.16.255.255 scope global br-ex\\       valid_lft forever
`;

const manifestWith = (extra: object) =>
  BundleManifest.parse({
    kubernetes_version: 'v1.30.2',
    arch: 'amd64',
    files: [{ path: 'bin/kubeadm', sha256: 'a'.repeat(64), size: 1 }],
    ...extra,
  });

const registry: PrivateRegistry = {
  scheme: 'https',
  host: 'harbor.local:8443',
  project: 'k8s',
  user: '',
  password: '',
  caCert: '',
};

type Pod = {
  spec: {
    containers: { image: string; env: { name: string; value: string }[] }[];
    volumes: { hostPath: { path: string } }[];
  };
};
const envOf = (pod: Pod) =>
  Object.fromEntries(pod.spec.containers[0]!.env.map((e) => [e.name, e.value]));

describe('kube-vip for an HA control plane', () => {
  it('finds the interface that carries an address, and its prefix', () => {
    expect(interfaceCarrying(IP_ADDR, '10.30.100.68')).toEqual({ name: 'ens192', prefix: 24 });
    expect(interfaceCarrying(IP_ADDR, '172.16.0.9')).toEqual({ name: 'br-ex', prefix: 16 });
    expect(interfaceCarrying(IP_ADDR, '10.30.100.6')).toBeNull();
  });

  it('takes the image from the bundle, moved into the private registry when there is one', () => {
    const named = manifestWith({ images: { 'kube-vip': 'docker.io/plndr/kube-vip:v0.6.4' } });
    expect(kubeVipImage(named, null)).toBe('docker.io/plndr/kube-vip:v0.6.4');
    expect(kubeVipImage(named, registry)).toBe('harbor.local:8443/k8s/kube-vip:v0.6.4');
    const versioned = manifestWith({ components: { 'kube-vip': 'v0.8.9' } });
    expect(kubeVipImage(versioned, null)).toBe('ghcr.io/kube-vip/kube-vip:v0.8.9');
    expect(kubeVipImage(manifestWith({}), registry)).toBeNull();
    expect(() => manifestWith({ images: { 'kube-vip': 'not an image' } })).toThrow(
      /image reference/,
    );
  });

  it('uses super-admin.conf only while the first master initializes Kubernetes 1.29 or later', () => {
    expect(kubeVipKubeconfig('v1.30.2', true)).toBe('super-admin.conf');
    expect(kubeVipKubeconfig('v1.29.0', true)).toBe('super-admin.conf');
    expect(kubeVipKubeconfig('v1.28.9', true)).toBe('admin.conf');
    expect(kubeVipKubeconfig('v1.30.2', false)).toBe('admin.conf');
  });

  it('names the VIP subnet the way the image version reads it', () => {
    const pod = (image: string) =>
      parse(
        renderKubeVipManifest({
          vip: '10.30.100.200',
          port: 8443,
          interface: 'ens192',
          image,
          nodeName: 'k8s-node-10-30-100-68',
          kubeconfig: 'admin.conf',
        }),
      ) as Pod;
    const old = envOf(pod('docker.io/plndr/kube-vip:v0.6.4'));
    expect(old).toMatchObject({ vip_cidr: '32', address: '10.30.100.200', lb_port: '8443' });
    expect(old).not.toHaveProperty('vip_subnet');
    expect(envOf(pod('ghcr.io/kube-vip/kube-vip:v0.9.2'))).toMatchObject({ vip_subnet: '32' });
    expect(envOf(pod('reg.local/kube-vip@sha256:' + 'f'.repeat(64)))).toMatchObject({
      vip_subnet: '32',
    });
    expect(envOf(pod(KUBE_VIP_IMAGE))).toMatchObject({ vip_cidr: '32' });
    expect(pod(KUBE_VIP_IMAGE).spec.volumes[0]!.hostPath.path).toBe('/etc/kubernetes/admin.conf');
  });

  describe('on lab masters', () => {
    let lab: Lab;
    let bundle: TestBundle;
    let product: Product;

    deployFixtureHooks(
      81,
      [
        { octet: 11, rootPassword: 'lab-root-Secret-7' },
        { octet: 12, rootPassword: 'lab-root-Secret-7' },
        { octet: 21, rootPassword: 'lab-root-Secret-7' },
        { octet: 22, rootPassword: 'lab-root-Secret-7' },
      ],
      buildHaBundle,
      (f) => ({ lab, bundle, product } = f),
    );

    it('without a private registry, runs the bundle image on every master', async () => {
      const masters = [lab.host(11), lab.host(12)];
      const { uuid } = await product.services.api.deploy(
        deployPlan('lab81-ha', masters, [], bundle.archive, {
          ControlPlaneConfig: { HAConfig: { vip: '198.18.81.100', port: 9443 } },
        }),
      );
      const status = await waitForDeploy(product, uuid);
      expect(status.DeployStage.State).toBe('success');
      for (const host of masters) {
        const pod = parse(host.readFile('/etc/kubernetes/manifests/kube-vip.yaml')) as Pod;
        expect(pod.spec.containers[0]!.image).toBe(KUBE_VIP_IMAGE);
        expect(envOf(pod)).toMatchObject({
          address: '198.18.81.100',
          lb_port: '9443',
          vip_interface: 'eth0',
          vip_nodename: `m-${host.ip.split('.').pop()}`,
        });
        expect(host.readFile('/var/lib/topke-standin/images')).toContain(
          `k8s.io ${KUBE_VIP_IMAGE}`,
        );
      }
    });

    it('stops before kubeadm init when the VIP is outside the network of the master', async () => {
      const master = lab.host(21);
      const { uuid } = await product.services.api.deploy(
        deployPlan('lab81-far', [master], [], bundle.dir, {
          ControlPlaneConfig: { HAConfig: { vip: '203.0.113.10', port: 9443 } },
        }),
      );
      const status = await waitForDeploy(product, uuid);
      expect(status.DeployStage.State).toBe('failed');
      expect(status.err_info).toContain(
        `${master.ip} (m-21) step "kube-vip" failed: the VIP 203.0.113.10 is outside ${master.ip}/15, the network of eth0`,
      );
      expect(master.readFile('/var/lib/topke-standin/calls.log')).not.toContain('kubeadm init');
      expect(
        master
          .exec('test -e /etc/kubernetes/manifests/kube-vip.yaml && echo yes || echo no')
          .trim(),
      ).toBe('no');
    });

    it("stops before kubeadm init when the VIP is the broadcast address of the master's network", async () => {
      const master = lab.host(22);
      const { uuid } = await product.services.api.deploy(
        deployPlan('lab81-edge', [master], [], bundle.dir, {
          ControlPlaneConfig: { HAConfig: { vip: '198.19.255.255', port: 9443 } },
        }),
      );
      const status = await waitForDeploy(product, uuid);
      expect(status.DeployStage.State).toBe('failed');
      expect(status.err_info).toContain(
        `${master.ip} (m-22) step "kube-vip" failed: the VIP 198.19.255.255 is the broadcast address of ${master.ip}/15, the network of eth0: no host can take it`,
      );
      expect(master.readFile('/var/lib/topke-standin/calls.log')).not.toContain('kubeadm init');
    });
  });
});
