import type { SshSession } from '../ssh/types.js';

/** One host to check before anything is changed on it. */
export interface PreflightHost {
  ip: string;
  /** The node name the plan gives; '' means the host's own hostname, as kubeadm would use. */
  nodeName: string;
  role: 'master' | 'worker';
  session: SshSession;
}

export interface PreflightInput {
  hosts: PreflightHost[];
  /** What the offline bundle supports. */
  bundle: { arch: string; kubernetesVersion: string };
  /** The laptop's clock (ms since epoch) when the checks started. Informational: each host's skew
   * is measured against this machine's clock at the midpoint of the round trip that reads it. */
  now?: number;
  /** Where the bundle goes on each host (default /opt/topke); its free space is checked. */
  installDir?: string;
  /** Hosts of the plan that could not be reached or logged in to: each gets a failed "ssh" check,
   * and still counts for the duplicate-address and node-name checks. */
  unreachable?: UnreachableHost[];
}

export interface UnreachableHost {
  ip: string;
  nodeName: string;
  role: 'master' | 'worker';
  error: string;
  errorCn?: string;
}

export type Verdict = 'pass' | 'warn' | 'fail';

/** One check on one host: the verdict, what was measured, and how to fix it. */
export interface CheckResult {
  host: string;
  check: string;
  verdict: Verdict;
  value: string;
  /** `value` in Chinese; the same text where it is a number, a version, a name or a path. */
  value_cn: string;
  fix: string;
  /** The product can fix it itself, with an explicit "fix" action (swap, modules, sysctls). */
  fixable: boolean;
  /** What is checked, for a table, in English and Chinese. */
  label?: string;
  label_cn?: string;
  /** `fix` in Chinese. */
  fix_cn?: string;
}

/** One change the fix action made (or tried to make) on one host. */
export interface FixAction {
  host: string;
  check: string;
  /** What was done, in a sentence. */
  action: string;
  action_cn: string;
  ok: boolean;
  /** The command's error output when it failed (bounded). */
  error?: string;
}

/** Which failing checks to fix; default: every fixable one on every host. */
export interface FixSelection {
  checks?: string[];
  hosts?: string[];
}
