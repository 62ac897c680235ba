import type { SshSession } from '../ssh/types.js';
import { shellQuote } from '../ssh/quote.js';
import { parseFactLines, type RawHostFacts } from './host-facts-parse.js';

export type { RawHostFacts } from './host-facts-parse.js';

/** Where the deploy keeps the offline bundle on a node; its free space is a fact and a check. */
export const DEFAULT_INSTALL_DIR = '/opt/topke';

/** What every reading prints: who the host is, its size, clock, disk, and what is installed.
 * Shell builtins read what needs no program (the hostname, os-release, meminfo, swaps, df's
 * columns): every program started costs the host a fork and an exec, on every host a scan logs
 * in to. */
function basicScript(installDir: string): string {
  return `
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
date +clock_ms=%s%3N
LC_ALL=C; export LC_ALL
h=; [ -r /proc/sys/kernel/hostname ] && read -r h </proc/sys/kernel/hostname
echo "hostname=\${h:-$(hostname 2>/dev/null)}"
echo "nproc=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
set -- $(uname -s -r -m)
echo "uname_s=$1"; echo "kernel=$2"; echo "machine=$3"
[ -r /etc/os-release ] && while IFS= read -r l || [ -n "$l" ]; do
  case $l in
    ID=*) echo "os_id=\${l#ID=}" ;;
    VERSION_ID=*) echo "os_version=\${l#VERSION_ID=}" ;;
    PRETTY_NAME=*) echo "os_name=\${l#PRETTY_NAME=}" ;;
  esac
done </etc/os-release
while read -r k v _; do [ "$k" = MemTotal: ] && echo "mem_kb=$v" && break; done </proc/meminfo
[ -r /proc/swaps ] && { read -r _; while read -r f _ size _; do echo "swap=$f $size"; done; } </proc/swaps
d=${shellQuote(installDir)}
while [ ! -d "$d" ]; do case $d in */*) d=\${d%/*}; d=\${d:-/} ;; *) d=. ;; esac; done
echo "disk_path=$d"
df -PB1 "$d" 2>/dev/null | { read -r _; read -r _ _ _ free _ && echo "disk_free=$free"; }
for b in kubelet kubeadm containerd docker crio; do
  command -v "$b" >/dev/null 2>&1 || continue
  echo "bin=$b=$(command -v "$b")"
  echo "version=$b=$(timeout 5 "$b" --version 2>/dev/null | { IFS= read -r v; echo "$v"; })"
done
`;
}

/** What preflight needs beyond that: boot configuration, modules, sysctls, listening ports, and
 * the traces of an existing cluster. */
const PREFLIGHT_SCRIPT = `
awk '!/^[[:space:]]*#/ && $3=="swap" {print "fstab_swap=" $1}' /etc/fstab 2>/dev/null
lsmod 2>/dev/null | awk 'NR>1 {print "module=" $1}'
for m in br_netfilter overlay; do
  grep -qs "/$m.ko" "/lib/modules/$(uname -r)/modules.builtin" && echo "builtin_module=$m"
done
for k in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables; do
  v=$(sysctl -n "$k" 2>/dev/null) && echo "sysctl=$k=$v"
done
for f in /etc/modules /usr/lib/modules-load.d/*.conf /etc/modules-load.d/*.conf /run/modules-load.d/*.conf; do
  [ -f "$f" ] && sed -e 's/[#;].*//' "$f" | awk 'NF {print "persist_module=" $1}'
done
for f in /usr/lib/sysctl.d/*.conf /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /etc/sysctl.conf; do
  [ -f "$f" ] && sed -n 's/^[[:space:]]*-\\{0,1\\}\\([A-Za-z0-9._/-]*\\)[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*$/persist_sysctl=\\1=\\2/p' "$f"
done
awk 'NR>1 && $4=="0A" {print "listen=" $2}' /proc/net/tcp /proc/net/tcp6 2>/dev/null
for f in /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/manifests/kube-apiserver.yaml /var/lib/kubelet/config.yaml /var/lib/etcd/member; do
  [ -e "$f" ] && echo "kube_file=$f"
done
`;

/** One round trip that prints `key=value` lines. It reads files and runs read-only commands, so
 * it needs no root. PATH is set because a non-root login on Debian lacks /sbin (lsmod, sysctl). */
function factScript(installDir: string, depth: 'scan' | 'preflight'): string {
  return `${basicScript(installDir)}${depth === 'preflight' ? PREFLIGHT_SCRIPT : ''}exit 0\n`;
}

export interface HostFactsReading {
  facts: RawHostFacts;
  /** The host's clock minus the laptop's, in ms, measured at the midpoint of the round trip. */
  clockSkewMs: number;
}

/** Reads a host's facts over an established session. */
export async function readHostFacts(
  session: SshSession,
  options: { installDir?: string; timeoutMs?: number; depth?: 'scan' | 'preflight' } = {},
): Promise<HostFactsReading> {
  const script = factScript(
    options.installDir ?? DEFAULT_INSTALL_DIR,
    options.depth ?? 'preflight',
  );
  const before = Date.now();
  const result = await session.exec('/bin/sh -s', {
    stdin: script,
    timeoutMs: options.timeoutMs ?? 20_000,
    idempotent: true,
  });
  const after = Date.now();
  const facts = parseFactLines(result.stdout);
  const clockSkewMs = facts.clockMs === null ? 0 : facts.clockMs - Math.round((before + after) / 2);
  return { facts, clockSkewMs };
}
