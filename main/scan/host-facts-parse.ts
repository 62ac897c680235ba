/** A host's facts as read by the fact script, before any verdict. */
export interface RawHostFacts {
  hostname: string;
  cpus: number | null;
  memBytes: number | null;
  unameS: string;
  kernel: string;
  /** As `uname -m` prints it (x86_64, aarch64...). */
  machine: string;
  /** As Kubernetes names it (amd64, arm64...). */
  arch: string;
  osId: string;
  osVersion: string;
  osName: string;
  clockMs: number | null;
  /** Active swap areas: device and size in bytes. */
  swaps: { device: string; bytes: number }[];
  /** Devices /etc/fstab turns on as swap at boot. */
  fstabSwap: string[];
  modules: string[];
  /** Modules loaded at boot (/etc/modules, modules-load.d). */
  persistedModules: string[];
  sysctls: Record<string, string>;
  /** Sysctl values set at boot (sysctl.d, sysctl.conf), the last file winning. */
  persistedSysctls: Record<string, string>;
  listeningPorts: number[];
  diskPath: string;
  diskFreeBytes: number | null;
  kubeFiles: string[];
  /** Command name -> path, for the Kubernetes and container runtime binaries found. */
  binaries: Record<string, string>;
  /** Command name -> the first line of its `--version`. */
  versions: Record<string, string>;
}

const ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loongarch64: 'loong64',
};

export function kubernetesArch(machine: string): string {
  return ARCH[machine] ?? machine;
}

function emptyFacts(): RawHostFacts {
  return {
    hostname: '',
    cpus: null,
    memBytes: null,
    unameS: '',
    kernel: '',
    machine: '',
    arch: '',
    osId: '',
    osVersion: '',
    osName: '',
    clockMs: null,
    swaps: [],
    fstabSwap: [],
    modules: [],
    persistedModules: [],
    sysctls: {},
    persistedSysctls: {},
    listeningPorts: [],
    diskPath: '',
    diskFreeBytes: null,
    kubeFiles: [],
    binaries: {},
    versions: {},
  };
}

function toNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** os-release values may be quoted. */
function unquote(text: string): string {
  return text.trim().replace(/^(["'])(.*)\1$/, '$2');
}

/** "name=value" into a record entry. */
function setPair(record: Record<string, string>, text: string): void {
  const eq = text.indexOf('=');
  if (eq > 0) record[text.slice(0, eq)] = text.slice(eq + 1).trim();
}

/** /proc/net/tcp writes "0100007F:1F90": the port is the hex after the colon. */
function listenPort(text: string): number | null {
  const hex = text.split(':').pop() ?? '';
  return /^[0-9A-Fa-f]{4}$/.test(hex) ? parseInt(hex, 16) : null;
}

type Reader = (facts: RawHostFacts, value: string) => void;

const READERS: Record<string, Reader> = {
  clock_ms: (f, v) => (f.clockMs = toNumber(v)),
  hostname: (f, v) => (f.hostname = v.trim()),
  nproc: (f, v) => (f.cpus = toNumber(v)),
  uname_s: (f, v) => (f.unameS = v.trim()),
  kernel: (f, v) => (f.kernel = v.trim()),
  machine: (f, v) => {
    f.machine = v.trim();
    f.arch = kubernetesArch(f.machine);
  },
  os_id: (f, v) => (f.osId = unquote(v).toLowerCase()),
  os_version: (f, v) => (f.osVersion = unquote(v)),
  os_name: (f, v) => (f.osName = unquote(v)),
  mem_kb: (f, v) => {
    const kb = toNumber(v);
    f.memBytes = kb === null ? null : kb * 1024;
  },
  swap: (f, v) => {
    const [device = '', kb = '0'] = v.trim().split(/\s+/);
    f.swaps.push({ device, bytes: (toNumber(kb) ?? 0) * 1024 });
  },
  fstab_swap: (f, v) => f.fstabSwap.push(v.trim()),
  module: (f, v) => f.modules.push(v.trim()),
  builtin_module: (f, v) => f.modules.push(v.trim()),
  persist_module: (f, v) => f.persistedModules.push(v.trim()),
  sysctl: (f, v) => setPair(f.sysctls, v),
  persist_sysctl: (f, v) => {
    const eq = v.indexOf('=');
    // sysctl.d accepts "net/ipv4/ip_forward" as well as dots.
    if (eq > 0) setPair(f.persistedSysctls, `${v.slice(0, eq).replaceAll('/', '.')}${v.slice(eq)}`);
  },
  listen: (f, v) => {
    const port = listenPort(v.trim());
    if (port !== null && !f.listeningPorts.includes(port)) f.listeningPorts.push(port);
  },
  disk_path: (f, v) => (f.diskPath = v.trim()),
  disk_free: (f, v) => (f.diskFreeBytes = toNumber(v)),
  kube_file: (f, v) => f.kubeFiles.push(v.trim()),
  bin: (f, v) => setPair(f.binaries, v),
  version: (f, v) => setPair(f.versions, v),
};

/** Parses the fact script's output; unknown or malformed lines are ignored. */
export function parseFactLines(output: string): RawHostFacts {
  const facts = emptyFacts();
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    if (eq > 0 && Object.hasOwn(READERS, key)) READERS[key]!(facts, line.slice(eq + 1));
  }
  facts.listeningPorts.sort((a, b) => a - b);
  return facts;
}
