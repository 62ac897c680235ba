/** kubeadm's own minimums for a control-plane node (its preflight NumCPU and Mem checks). */
export const MIN_CPUS_MASTER = 2;
export const MIN_MEMORY_MASTER_MIB = 1700;
/** kubeadm sets no minimum for a worker; below this a worker has little room for pods. */
export const LOW_MEMORY_WORKER_MIB = 1024;

/** Free space where the bundle goes: below the first a deploy cannot fit; below the second it is tight. */
export const MIN_DISK_FREE_BYTES = 2 * 1024 ** 3;
export const LOW_DISK_FREE_BYTES = 5 * 1024 ** 3;

/** Clock against the laptop: beyond a few seconds someone's clock is wrong; beyond minutes,
 * certificates and tokens issued now look not yet valid or expired. */
export const CLOCK_WARN_MS = 5_000;
export const CLOCK_FAIL_MS = 5 * 60_000;
/** Clock between the hosts of a cluster: etcd warns past one second of drift between members. */
export const CLOCK_SPREAD_WARN_MS = 1_000;
export const CLOCK_SPREAD_FAIL_MS = 60_000;

/** Kernels older than this are not supported by current Kubernetes releases (warn), or at all (fail). */
export const KERNEL_WARN_BELOW: [number, number] = [4, 19];
export const KERNEL_FAIL_BELOW: [number, number] = [3, 10];

export const MASTER_PORTS = [6443, 2379, 2380, 10250, 10257, 10259];
export const WORKER_PORTS = [10250];
/** The NodePort range; a worker (and a master) must not have listeners in it. */
export const NODE_PORT_RANGE: [number, number] = [30000, 32767];

export const REQUIRED_MODULES = ['overlay', 'br_netfilter'];
export const REQUIRED_SYSCTLS: Record<string, string> = {
  'net.ipv4.ip_forward': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
};

/** Distributions Kubernetes bundles are commonly installed on; others get a warning, not a failure. */
export const KNOWN_OS_IDS = [
  'debian',
  'ubuntu',
  'centos',
  'rhel',
  'rocky',
  'almalinux',
  'ol',
  'fedora',
  'openeuler',
  'kylin',
  'uos',
  'anolis',
  'opensuse-leap',
  'sles',
];
