import { describe, expect, it } from 'vitest';
import { DeployRequest, VipTestRequest, validate, TopkeError } from '../../main/contract/index.js';

function errorOf(fn: () => unknown): TopkeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TopkeError) return err;
    throw err;
  }
  throw new Error('expected a TopkeError');
}

const plan = {
  name: 'lab1',
  master_list: [{ IP: '198.18.50.11', NodeName: 'm1' }],
  KubernetesVersion: 'v1.30.2',
  bundle_path: '/tmp/bundle',
};

describe('request validation', () => {
  it('fills the spec defaults for CIDRs, tenant and proxy mode', () => {
    const req = validate(DeployRequest, { ...plan, PodCidr: '', ServicePodCidr: '' });
    expect(req.PodCidr).toBe('192.168.0.0/16');
    expect(req.ServicePodCidr).toBe('10.96.0.0/12');
    expect(req.ControlPlaneConfig.KubeProxyConfig.Mode).toBe('iptables');
    expect(req.node_list).toEqual([]);
  });

  it('names the field and the value in English and Chinese', () => {
    const err = errorOf(() =>
      validate(DeployRequest, { ...plan, master_list: [{ IP: '10.0.0.300' }] }),
    );
    expect(err.code).toBe('invalid_field');
    expect(err.field).toBe('master_list[0].IP');
    expect(err.message).toBe('master_list[0].IP: is not an IPv4 address (got 10.0.0.300)');
    expect(err.messageCn).toBe('master_list[0].IP：不是有效的 IPv4 地址 (实际为 10.0.0.300)');
  });

  it('reports a missing required field', () => {
    const err = errorOf(() => validate(DeployRequest, { ...plan, name: undefined }));
    expect(err.field).toBe('name');
    expect(err.message).toBe('name: is required');
  });

  it('refuses port 6443 for a VIP', () => {
    const err = errorOf(() => validate(VipTestRequest, { vip: '198.18.50.5', port: 6443 }));
    expect(err.field).toBe('port');
    expect(err.message).toMatch(/must not be 6443/);
    expect(err.messageCn).toMatch(/不能使用 6443/);
  });

  it('never echoes a secret back in an error', () => {
    const err = errorOf(() => validate(DeployRequest, { ...plan, ssh: { password: 12345678 } }));
    expect(err.field).toBe('ssh.password');
    expect(err.message).not.toContain('12345678');
  });
});
