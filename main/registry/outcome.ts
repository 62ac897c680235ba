import { OK_STATUS } from '../contract/envelope.js';
import { TopkeError } from '../contract/errors.js';
import type { RegistryDistributeItem, RegistryNodeResult } from '../contract/results.js';
import type { DeployHost } from '../deploy/hosts.js';
import { CommandFailed } from '../deploy/remote.js';
import type { StepOutput } from '../deploy/step-output.js';
import type { NodeCaOutcome } from './node-ca.js';

/** Why one node did not get the certificate, in both languages. */
export interface NodeFailure {
  host: DeployHost;
  error: TopkeError;
}

/** One node's outcome as the answer shows it. */
export function nodeSucceeded(host: DeployHost, outcome: NodeCaOutcome): RegistryNodeResult {
  const changed = outcome.written.length > 0 || outcome.trustUpdated;
  return { ip: host.ip, node_name: host.nodeName, ok: true, changed, message: '', message_cn: '' };
}

export function nodeFailed(
  failure: NodeFailure,
  redact: (text: string) => string,
): RegistryNodeResult {
  const { host, error } = failure;
  return {
    ip: host.ip,
    node_name: host.nodeName,
    ok: false,
    changed: false,
    message: redact(error.message),
    message_cn: redact(error.messageCn),
  };
}

/** A per-cluster entry of the spec's results: `data` is the cluster's uuid. */
export function clusterSucceeded(
  uuid: string,
  nodes: RegistryNodeResult[],
): RegistryDistributeItem {
  return { ...OK_STATUS, message_cn: '', data: uuid, scode: 0, nodes };
}

export function clusterFailed(
  uuid: string,
  error: TopkeError,
  nodes: RegistryNodeResult[] = [],
): RegistryDistributeItem {
  return {
    ...OK_STATUS,
    code: error.scode,
    message: error.message,
    messageCn: error.messageCn,
    desc: error.code,
    message_cn: error.messageCn,
    data: uuid,
    scode: error.scode,
    nodes,
  };
}

/** A node's failure named by its address and node name: a command's exit code and the end of
 * its output, or the SSH layer's own sentence. */
export function nodeFailure(host: DeployHost, err: unknown, output: StepOutput): NodeFailure {
  const who = { en: `${host.ip} (${host.nodeName})`, cn: `${host.ip}（${host.nodeName}）` };
  if (err instanceof CommandFailed) {
    const tail = output.lastLines(6).replaceAll('\n', ' | ');
    return {
      host,
      error: new TopkeError({
        code: 'deploy_failed',
        message: `${who.en}: "${err.label}" exited with ${err.exitCode}: ${tail}`,
        messageCn: `${who.cn}：命令 “${err.label}” 失败（退出码 ${err.exitCode}）：${tail}`,
      }),
    };
  }
  const known = err instanceof TopkeError ? err : null;
  return {
    host,
    error: new TopkeError({
      code: known?.code ?? 'internal',
      message: `${who.en}: ${known?.message ?? 'internal error; see the log for details'}`,
      messageCn: `${who.cn}：${known?.messageCn ?? '内部错误，详情请查看日志'}`,
    }),
  };
}

/** A cluster some of whose nodes failed: how many, and each one's reason. The code is the first
 * failure's. */
export function clusterNodesFailed(
  name: string,
  total: number,
  failures: NodeFailure[],
  redact: (text: string) => string,
): TopkeError {
  const first = failures[0]!.error;
  const count = `${failures.length} of ${total} node${total === 1 ? '' : 's'}`;
  return new TopkeError({
    code: first.code,
    field: 'clusters',
    message: redact(
      `cluster ${name}: the CA could not be put on ${count}: ${failures.map((f) => f.error.message).join('; ')}`,
    ),
    messageCn: redact(
      `集群 ${name}：${total} 个节点中有 ${failures.length} 个未能下发证书：${failures.map((f) => f.error.messageCn).join('；')}`,
    ),
  });
}
