import { shellQuote } from '../ssh/quote.js';
import { REQUIRED_SYSCTLS } from './thresholds.js';

/** Files the fix action owns on a host; nothing else is rewritten, except /etc/fstab (backed up). */
export const MODULES_FILE = '/etc/modules-load.d/topke-kubernetes.conf';
export const SYSCTL_FILE = '/etc/sysctl.d/99-topke-kubernetes.conf';
export const FSTAB_BACKUP = '/etc/fstab.topke-backup';

const PRELUDE = 'set -e\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH\n';

/** Loads each module now and lists it in our modules-load.d file, keeping names already there. */
export function modulesScript(modules: string[]): string {
  const lines = modules.map((m) => {
    const q = shellQuote(m);
    return `grep -qsx ${q} ${MODULES_FILE} || echo ${q} >> ${MODULES_FILE}\nmodprobe ${q}`;
  });
  return `${PRELUDE}mkdir -p /etc/modules-load.d\n${lines.join('\n')}\n`;
}

/** Writes each key into our sysctl.d file (replacing its old line there) and applies the file.
 * The bridge keys exist only with br_netfilter loaded, so that module is loaded first. */
export function sysctlScript(keys: string[]): string {
  const bridge = keys.some((k) => k.startsWith('net.bridge.'));
  const lines = keys.map((k) => {
    const own = shellQuote(`^${k.replaceAll('.', '\\.')} `);
    const line = shellQuote(`${k} = ${REQUIRED_SYSCTLS[k] ?? '1'}`);
    return `grep -v ${own} ${SYSCTL_FILE} > ${SYSCTL_FILE}.new || true\necho ${line} >> ${SYSCTL_FILE}.new\nmv ${SYSCTL_FILE}.new ${SYSCTL_FILE}`;
  });
  return `${PRELUDE}mkdir -p /etc/sysctl.d\ntouch ${SYSCTL_FILE}\n${bridge ? 'modprobe br_netfilter\n' : ''}${lines.join('\n')}\nsysctl -p ${SYSCTL_FILE}\n`;
}

/** Turns swap off now and comments the swap lines of /etc/fstab out (after a backup). */
export function swapScript(): string {
  const swapLine =
    '^([[:space:]]*[^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap([[:space:]].*)?)$';
  return `${PRELUDE}swapoff -a
if grep -Eq '${swapLine}' /etc/fstab 2>/dev/null; then
  cp -p /etc/fstab ${FSTAB_BACKUP}
  sed -i -E 's/${swapLine}/# \\1  # swap turned off for Kubernetes by TopKE/' /etc/fstab
fi
`;
}
