import type { RawHostFacts } from '../scan/host-facts.js';
import type { CheckResult } from './types.js';

/** What the checks of one host look at: the plan's view of it and the facts read from it. */
export interface HostReading {
  ip: string;
  role: 'master' | 'worker';
  /** As given in the plan; '' means the host's hostname. */
  nodeName: string;
  facts: RawHostFacts;
  clockSkewMs: number;
}

export interface CheckContext {
  bundle: { arch: string; kubernetesVersion: string };
  installDir: string;
}

/** A check over one host: one or more rows of the table. */
export type HostCheck = (reading: HostReading, ctx: CheckContext) => CheckResult[];
