import type { OperationRequest } from '../contract/operations.js';
import type {
  FieldProblem,
  KubeconfigContextView,
  KubeconfigInspectResult,
  Notice,
} from '../contract/results.js';
import { TopkeError } from '../contract/errors.js';
import type { ContextEntry } from '../kubeconfig/context-entry.js';
import { execNotice, execPluginView } from '../kubeconfig/exec-consent.js';
import { defaultContexts } from '../kubeconfig/pick.js';
import { probeContext } from '../kubeconfig/probe.js';
import type { Problem } from '../kubeconfig/problem.js';
import { readKubeconfig } from '../kubeconfig/read.js';
import { certExpiryOf, insecureNotice } from './import-record.js';
import { sourceOf } from './import.js';

function fieldProblem(p: Problem): FieldProblem {
  return { field: p.field, message: p.message, message_cn: p.messageCn };
}

function errorProblem(err: TopkeError): FieldProblem {
  return { field: err.field ?? '', message: err.message, message_cn: err.messageCn };
}

function contextView(c: ContextEntry, current: string): KubeconfigContextView {
  const cluster = c.cluster?.cluster;
  return {
    name: c.name,
    cluster: c.clusterName,
    user: c.userName,
    namespace: c.namespace,
    server: cluster?.server ?? '',
    auth: c.user?.auth ?? 'none',
    exec: c.user?.exec ? execPluginView(c.user.exec) : null,
    insecure: cluster?.skipTLSVerify ?? false,
    tls_server_name: cluster?.tlsServerName ?? '',
    proxy_url: cluster?.proxyUrl ?? '',
    current: c.name === current,
    valid: c.problems.length === 0,
    problems: c.problems.map(fieldProblem),
    cert_expiry: certExpiryOf(c, null),
  };
}

/** Tests one valid context; any failure is reported on it, never thrown. A plugin that was not
 * allowed is not run: the context is reported as not tested, saying why. */
async function probeView(
  c: ContextEntry,
  allowedExec: readonly string[],
): Promise<KubeconfigContextView['probe']> {
  try {
    const outcome = await probeContext(c, { allowedExec });
    if (outcome.reachable)
      return { reachable: true, version: String(outcome.version.gitVersion), error: null };
    return { reachable: false, version: '', error: errorProblem(outcome.error) };
  } catch (err) {
    if (!(err instanceof TopkeError)) throw err;
    return { reachable: false, version: '', error: errorProblem(err) };
  }
}

function execNotices(contexts: KubeconfigContextView[], read: ContextEntry[]): Notice[] {
  return contexts.flatMap((view, i) => (view.exec ? [execNotice(read[i]!, view.exec)] : []));
}

/** Every context of a kubeconfig with its cluster, user, server and validity, before import;
 * a warning for each one whose user runs a program to get its credentials. */
export async function inspectKubeconfig(
  req: OperationRequest<'kubeconfigInspect'>,
): Promise<KubeconfigInspectResult> {
  const read = readKubeconfig(req.kube_config_data, sourceOf(req.source_path));
  const contexts = read.contexts.map((c) => contextView(c, read.currentContext));
  if (req.probe) {
    const probes = await Promise.all(
      read.contexts.map((c) =>
        c.problems.length ? undefined : probeView(c, req.allow_exec ?? []),
      ),
    );
    probes.forEach((p, i) => p && (contexts[i]!.probe = p));
  }
  const defaults = defaultContexts(read);
  return {
    encoding: read.decoded.encoding,
    charset: read.decoded.charset,
    had_bom: read.decoded.hadBom,
    current_context: read.currentContext,
    contexts,
    default_contexts: defaults.contexts.filter((c) => c.problems.length === 0).map((c) => c.name),
    warnings: [
      ...defaults.warnings,
      ...read.contexts.flatMap(insecureNotice),
      ...execNotices(contexts, read.contexts),
      ...(read.contexts.length === 0
        ? [
            {
              message: 'the kubeconfig has no contexts: nothing to import',
              message_cn: '该 kubeconfig 中没有任何上下文，无可导入内容',
            },
          ]
        : []),
    ],
  };
}
