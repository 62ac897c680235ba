import { bare, checkResult, worded, type Measured } from '../result.js';
import type { HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';

const EXISTING = { label: 'Existing Kubernetes', labelCn: '已有的 Kubernetes' };
const RUNTIME = { label: 'Container runtime', labelCn: '容器运行时' };

const KUBE_BINARIES = ['kubelet', 'kubeadm'];
const RUNTIMES = ['containerd', 'docker', 'crio'];
const NONE = worded('none', '无');

function alreadySetUp(files: string[]): Measured {
  return worded(`already set up: ${files.join(', ')}`, `已配置过：${files.join('、')}`);
}

function installed(found: { version: string; path: string }[]): Measured {
  return worded(
    `installed: ${found.map((f) => `${f.version} at ${f.path}`).join('; ')}`,
    `已安装：${found.map((f) => `${f.version}（位于 ${f.path}）`).join('；')}`,
  );
}

/** A host that is already a node (kubeconfigs, static pods, etcd data) must be reset first; a
 * kubelet or kubeadm already installed is worth a warning, since versions may clash. */
export function checkExistingKubernetes(r: HostReading): CheckResult[] {
  const files = r.facts.kubeFiles;
  if (files.length > 0) {
    return [
      checkResult(r.ip, 'kubernetes', 'fail', alreadySetUp(files), {
        ...EXISTING,
        fix: 'this host belongs to a cluster: run "kubeadm reset" on it first, or choose another host',
        fixCn: '该主机已属于某个集群：请先在其上执行 “kubeadm reset”，或换一台主机',
      }),
    ];
  }
  const found = KUBE_BINARIES.filter((b) => r.facts.binaries[b]);
  if (found.length > 0) {
    const at = found.map((b) => ({
      version: r.facts.versions[b] || b,
      path: r.facts.binaries[b] ?? '',
    }));
    return [
      checkResult(r.ip, 'kubernetes', 'warn', installed(at), {
        ...EXISTING,
        fix: 'remove the installed Kubernetes packages, or make sure their version matches the bundle',
        fixCn: '请卸载已安装的 Kubernetes 软件包，或确认其版本与安装包一致',
      }),
    ];
  }
  return [checkResult(r.ip, 'kubernetes', 'pass', NONE, EXISTING)];
}

/** Informational: a runtime already installed is reused or replaced by the deploy. */
export function checkRuntime(r: HostReading): CheckResult[] {
  const found = RUNTIMES.filter((b) => r.facts.binaries[b]);
  const versions = found.map((b) => r.facts.versions[b] || b).join('; ');
  return [checkResult(r.ip, 'runtime', 'pass', found.length ? bare(versions) : NONE, RUNTIME)];
}
