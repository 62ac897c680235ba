import type { OperationInput } from '../../../main/contract/operations.js';

type TargetFields = Pick<
  OperationInput<'hostScan'>,
  'begin' | 'end' | 'cidr' | 'targets' | 'exclude' | 'ssh_ports'
>;

/** How the engineer names what to scan: a first and last address, one CIDR, or a list. */
export type ScanMode = 'range' | 'cidr' | 'list';

/** What the scan form holds, as typed; the service checks it (and names the field at fault). */
export interface ScanTargetsForm {
  mode: ScanMode;
  begin: string;
  end: string;
  cidr: string;
  /** Addresses, ranges (A-B, or A-n for the last octet) and CIDRs, as one text. */
  targets: string;
  /** The same kinds of entries, left out of the scan. */
  exclude: string;
  /** Ports where sshd may listen, e.g. "22, 2222"; empty: the login's port, else 22. */
  sshPorts: string;
}

export function createScanTargetsForm(): ScanTargetsForm {
  return { mode: 'range', begin: '', end: '', cidr: '', targets: '', exclude: '', sshPorts: '' };
}

/** The entries of a typed list: separated by commas, semicolons, spaces or new lines, with
 * "A - B" read as the one range A-B. */
export function splitList(text: string): string[] {
  return text
    .replace(/\s*-\s*/g, '-')
    .split(/[\s,;]+/)
    .filter(Boolean);
}

/** The request's target fields for the chosen mode; a range given by its first address alone is
 * that one address. */
export function scanTargets(form: ScanTargetsForm): TargetFields {
  const exclude = splitList(form.exclude);
  const ports = splitList(form.sshPorts).join(',');
  const out: TargetFields = {
    ...(exclude.length && { exclude }),
    ...(ports && { ssh_ports: ports }),
  };
  if (form.mode === 'cidr') return { ...out, cidr: form.cidr.trim() };
  if (form.mode === 'list') return { ...out, targets: splitList(form.targets) };
  const begin = form.begin.trim();
  return { ...out, begin, end: form.end.trim() || begin };
}

/** Whether the chosen mode has something to scan. */
export function hasTargets(form: ScanTargetsForm): boolean {
  if (form.mode === 'cidr') return form.cidr.trim() !== '';
  if (form.mode === 'list') return splitList(form.targets).length > 0;
  return form.begin.trim() !== '';
}

/** The form field that holds each request field. */
const FIELDS: Record<string, keyof ScanTargetsForm> = {
  begin: 'begin',
  end: 'end',
  cidr: 'cidr',
  targets: 'targets',
  exclude: 'exclude',
  ssh_ports: 'sshPorts',
};

/** The form field a refused request's field belongs to: "targets[2]" is the list's third entry. */
export function formFieldOf(field: string | undefined): keyof ScanTargetsForm | null {
  const name = field?.replace(/\[\d+\]$/, '') ?? '';
  return Object.hasOwn(FIELDS, name) ? FIELDS[name]! : null;
}
