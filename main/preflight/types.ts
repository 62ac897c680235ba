import type { SshSession } from '../ssh/types.js';

/** One host to check before anything is changed on it. */
export interface PreflightHost {
  ip: string;
  nodeName: string;
  role: 'master' | 'worker';
  session: SshSession;
}

export interface PreflightInput {
  hosts: PreflightHost[];
  /** What the offline bundle supports. */
  bundle: { arch: string; kubernetesVersion: string };
  /** The laptop's clock (ms since epoch) when the checks started, for skew. */
  now?: number;
}

export type Verdict = 'pass' | 'warn' | 'fail';

/** One check on one host: the verdict, what was measured, and how to fix it. */
export interface CheckResult {
  host: string;
  check: string;
  verdict: Verdict;
  value: string;
  fix: string;
  /** The product can fix it itself, with an explicit "fix" action (swap, modules, sysctls). */
  fixable: boolean;
}
