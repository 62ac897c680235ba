import { TopkeError } from '../contract/errors.js';
import { runPreflight } from '../preflight/run.js';
import type { CheckResult } from '../preflight/types.js';
import { same, type Bilingual } from './bilingual.js';
import type { DeployHost } from './hosts.js';
import { failedChecks } from './preflight-failure.js';
import { StepFailure, type RunContext } from './run.js';

/** Checks that may fail on a host that an earlier, failed deploy of this same cluster already set
 * up: its kubeconfigs and listening API server are the deploy's own work, which resumes. */
const RESUMABLE = new Set(['kubernetes', 'ports']);

function line(r: CheckResult): string {
  return `[${r.verdict}] ${r.check}: ${r.value}${r.verdict === 'pass' ? '' : ` (fix: ${r.fix})`}`;
}

function blocking(r: CheckResult, ownNodes: Set<string>): boolean {
  return r.verdict === 'fail' && !(RESUMABLE.has(r.check) && ownNodes.has(r.host));
}

/** Runs the preflight checks on every connected host at once (step "preflight" on each); stops
 * the deploy on any failed check, naming each failing host and check. */
export async function preflightHosts(
  run: RunContext,
  stage: number,
  hosts: DeployHost[],
  ownNodes: Set<string>,
): Promise<void> {
  const ids = new Map(hosts.map((h) => [h.ip, run.rec.stepStarted(stage, h.ip, 'preflight')]));
  const finish = (h: DeployHost, text: string, error: Bilingual | null) =>
    run.rec.stepFinished(
      ids.get(h.ip)!,
      { stage, host: h.ip, step: 'preflight' },
      error ? 'failed' : 'ok',
      error ? 1 : 0,
      text,
      error,
    );
  let results: CheckResult[];
  try {
    results = await runPreflight({
      hosts: hosts.map((h) => ({
        ip: h.ip,
        nodeName: h.nodeName,
        role: h.role,
        session: run.sessions.get(h.ip)!,
      })),
      bundle: {
        arch: run.plan.bundle.manifest.arch,
        kubernetesVersion: run.plan.bundle.manifest.kubernetes_version,
      },
      now: Date.now(),
    });
  } catch (err) {
    const error =
      err instanceof TopkeError ? err : same(err instanceof Error ? err.message : String(err));
    for (const h of hosts) finish(h, error.message, error);
    throw new StepFailure(hosts[0]!, 'preflight', null, error);
  }
  const failing = results.filter((r) => blocking(r, ownNodes));
  for (const h of hosts) {
    const mine = failing.filter((r) => r.host === h.ip);
    const text = results.filter((r) => r.host === h.ip).map(line);
    finish(h, text.join('\n'), mine.length ? failedChecks(mine, false) : null);
  }
  if (failing.length === 0) return;
  const first = hosts.find((h) => h.ip === failing[0]!.host) ?? hosts[0]!;
  throw new StepFailure(first, 'preflight', null, failedChecks(failing, true));
}
