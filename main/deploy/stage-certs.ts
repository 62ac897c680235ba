import { parse } from 'yaml';
import { earliestCertExpiry } from './cert-expiry.js';
import { saveKubeconfig } from './cluster-store.js';
import type { DeployHost } from './hosts.js';
import { ADMIN_CONF, KUBEADM } from './kubeadm-steps.js';
import { CommandFailed, type Remote } from './remote.js';
import { inParallel, inSequence, runStep, type RunContext } from './run.js';
import { STAGE } from './stages.js';
import type { StepName } from './step-names.js';

/** Certificates closer than this to expiry are renewed during the deploy. */
const RENEW_WITHIN_S = 30 * 24 * 3600;

async function checkExpiry(remote: Remote): Promise<number> {
  const result = await remote.run(`${KUBEADM} certs check-expiration`, { idempotent: true });
  const expiry = earliestCertExpiry(result.stdout);
  if (expiry === null)
    throw new CommandFailed(
      1,
      'kubeadm certs check-expiration printed no expiry date',
      'kubeadm certs check-expiration 没有输出证书到期时间',
    );
  remote.output.add(`earliest certificate expiry: ${new Date(expiry * 1000).toISOString()}`);
  return expiry;
}

function checkKubeconfig(text: string): string {
  const doc = parse(text) as { clusters?: { cluster?: { server?: string } }[] } | null;
  const server = doc?.clusters?.[0]?.cluster?.server;
  if (!server)
    throw new CommandFailed(
      1,
      `${ADMIN_CONF} has no cluster server`,
      `${ADMIN_CONF} 中没有集群地址`,
    );
  return server;
}

/** Stage "update cluster certificate": read the certificates' expiry, renew them on every master
 * when close to it, then fetch the admin kubeconfig and keep it sealed on the cluster row. */
export async function updateCertificates(run: RunContext, masters: DeployHost[]): Promise<void> {
  const first = masters[0]!;
  const step = (host: DeployHost, name: StepName, body: Parameters<typeof runStep>[4]) =>
    runStep(run, STAGE.certificates, host, name, body);
  let expiry = 0;
  await inParallel(run, STAGE.certificates, [first], (h) =>
    step(h, 'check certificates', async (r) => {
      expiry = await checkExpiry(r);
    }),
  );
  if (expiry - Date.now() / 1000 < RENEW_WITHIN_S) {
    await inSequence(run, STAGE.certificates, masters, (h) =>
      step(h, 'renew certificates', async (r) => {
        // Renewing twice leaves fresh certificates either way.
        await r.run(`${KUBEADM} certs renew all`, { idempotent: true });
        if (h === first) expiry = await checkExpiry(r);
      }),
    );
  }
  await inParallel(run, STAGE.certificates, [first], (h) =>
    step(h, 'fetch kubeconfig', async (r) => {
      const text = (await r.read(ADMIN_CONF)).toString('utf8');
      const server = checkKubeconfig(text);
      saveKubeconfig(run.services.db, run.services.secrets, run.plan.clusterUuid, text, expiry);
      r.output.add(`${ADMIN_CONF} (server ${server}) stored encrypted with the cluster`);
    }),
  );
}
