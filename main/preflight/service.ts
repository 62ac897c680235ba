import { invalidField } from '../contract/errors.js';
import type { PreflightFixResult, PreflightResult } from '../contract/results.js';
import type { PreflightRequest } from '../contract/schemas.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { openBundle } from '../bundle/open.js';
import { listHosts, type DeployHost } from '../deploy/hosts.js';
import { asTopkeError } from '../contract/errors.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import { createSshPool } from '../ssh/pool.js';
import type { SshPool } from '../ssh/types.js';
import { applyPreflightFixes } from './fix.js';
import { runPreflight, summarize } from './run.js';
import type { PreflightHost, PreflightInput, UnreachableHost } from './types.js';

/** The bundle the plan will deploy: from its manifest, or the architecture given alone. */
async function bundleOf(req: PreflightRequest, dataDir: string): Promise<PreflightInput['bundle']> {
  if (req.bundle_path) {
    const { manifest } = await openBundle(req.bundle_path, dataDir);
    return { arch: manifest.arch, kubernetesVersion: manifest.kubernetes_version };
  }
  if (!req.arch) {
    throw invalidField(
      'bundle_path',
      'is required (or give arch): the hosts are checked against the bundle',
      '为必填项（或提供 arch）：需要根据安装包检查主机',
    );
  }
  return { arch: req.arch, kubernetesVersion: req.KubernetesVersion ?? '' };
}

/** The plan's hosts as the deploy would see them (same node names and logins). */
function planHosts(req: PreflightRequest): DeployHost[] {
  return [
    ...listHosts(req.master_list, 'master', req.ssh, 'master_list'),
    ...listHosts(req.node_list, 'worker', req.ssh, 'node_list'),
  ];
}

async function connect(
  pool: SshPool,
  hosts: DeployHost[],
): Promise<Pick<PreflightInput, 'hosts' | 'unreachable'>> {
  const opened = await Promise.all(
    hosts.map(async (h): Promise<PreflightHost | UnreachableHost> => {
      try {
        return {
          ip: h.ip,
          nodeName: h.nodeName,
          role: h.role,
          session: await pool.session(h.target),
        };
      } catch (err) {
        const e = asTopkeError(err);
        // A changed host key is not a check result: it stops the preflight until the engineer
        // accepts the key (the error's details name the host and both fingerprints).
        if (e.code === 'host_key_changed') throw e;
        return {
          ip: h.ip,
          nodeName: h.nodeName,
          role: h.role,
          error: e.message,
          errorCn: e.messageCn,
        };
      }
    }),
  );
  return {
    hosts: opened.filter((o): o is PreflightHost => 'session' in o),
    unreachable: opened.filter((o): o is UnreachableHost => 'error' in o),
  };
}

/** The preflight table for a plan before it is deployed, and the explicit fix action. */
export function createPreflightHandlers(
  ctx: ServiceContext,
): Handlers<'preflight' | 'preflightFix'> {
  const log = ctx.log.child({ scope: 'preflight' });
  const knownHosts = createKnownHostsStore(ctx.db);

  async function withInput<T>(
    req: PreflightRequest,
    work: (input: PreflightInput) => Promise<T>,
  ): Promise<T> {
    const hosts = planHosts(req);
    const bundle = await bundleOf(req, ctx.dataDir);
    const pool = createSshPool({ knownHosts, log, maxSessions: 32, connectTimeoutMs: 15_000 });
    try {
      const reached = await connect(pool, hosts);
      return await work({ ...reached, bundle, installDir: req.install_dir });
    } finally {
      await pool.closeAll();
    }
  }

  return {
    preflight: (req) =>
      withInput(req, async (input): Promise<PreflightResult> => {
        const results = await runPreflight(input);
        return { ...summarize(results), results };
      }),
    preflightFix: (req) =>
      withInput(req, async (input): Promise<PreflightFixResult> => {
        const selection = {
          ...(req.checks ? { checks: req.checks } : {}),
          ...(req.hosts ? { hosts: req.hosts } : {}),
        };
        const { applied, results } = await applyPreflightFixes(input, selection);
        log.info({ hosts: input.hosts.length, applied: applied.length }, 'preflight fixes applied');
        return { ...summarize(results), results, applied };
      }),
  };
}
