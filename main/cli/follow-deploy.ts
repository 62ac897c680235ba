import { TopkeError } from '../contract/errors.js';
import type { ProgressEvent, TopkeApi } from '../contract/operations.js';
import type { DeployStatusResult } from '../contract/results.js';
import type { ServiceContext } from '../context.js';
import { createOutputPrinter, renderProgress } from './progress.js';

/** How long the command waits for a progress event before it reads the status again. */
const POLL_MS = 500;

/** What the followed work is called: "deploy" (部署) or "node create" (添加节点). */
export interface DeployWork {
  what: string;
  whatCn: string;
  /** Starts the work; answers the cluster whose latest deploy it is. */
  start(): Promise<{ uuid: string }>;
}

/** A failed deploy as the command's failure: its err_info in both languages, and the uuid that
 * `topke status` shows the record of, named in the sentence and given in the details. */
function deployFailed(work: DeployWork, status: DeployStatusResult): TopkeError {
  const { uuid, deploy_id } = status;
  return new TopkeError({
    code: 'deploy_failed',
    message: `the ${work.what} failed; \`topke status ${uuid}\` shows its record: ${status.err_info}`,
    messageCn: `${work.whatCn}失败；可用 \`topke status ${uuid}\` 查看其记录：${status.err_info_cn}`,
    details: { uuid, deploy_id },
  });
}

/** Resolves on the deploy's next progress event, or after POLL_MS. */
function nextEvent(ctx: ServiceContext, uuid: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, POLL_MS);
    const stop = ctx.events.subscribe((e) => e.kind === 'deploy' && e.uuid === uuid && done());
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

async function untilOver(ctx: ServiceContext, api: TopkeApi, uuid: string) {
  for (;;) {
    const status = await api.deployStatus({ uuid });
    if (status.is_over) return status;
    await nextEvent(ctx, uuid);
  }
}

/** Starts a deploy or node create and follows it until its record is over, its progress on
 * stderr from its first event (the steps the request starts before it answers included), and
 * with `followOutput` every line its running steps print. Answers the status of one that
 * succeeded; throws a failed one. A cluster runs one deploy at a time, so the latest deploy of
 * the cluster is the one started. */
export async function followDeploy(
  ctx: ServiceContext,
  api: TopkeApi,
  work: DeployWork,
  followOutput = false,
): Promise<DeployStatusResult> {
  let uuid: string | null = null;
  const early: ProgressEvent[] = [];
  const printOutput = createOutputPrinter();
  const show = (e: ProgressEvent) => {
    if (e.kind === 'deploy') renderProgress(e);
    else if (e.kind === 'step_output' && followOutput) printOutput(e);
  };
  const stop = ctx.events.subscribe((e) => {
    if (e.kind !== 'deploy' && e.kind !== 'step_output') return;
    if (uuid === null) early.push(e);
    else if (e.uuid === uuid) show(e);
  });
  try {
    const started = (await work.start()).uuid;
    process.stderr.write(`${work.what} ${started} started\n`);
    early.filter((e) => 'uuid' in e && e.uuid === started).forEach(show);
    uuid = started;
    const status = await untilOver(ctx, api, started);
    if (status.DeployStage.State === 'failed') throw deployFailed(work, status);
    return status;
  } finally {
    stop();
  }
}

/** `topke deploy PLAN.json`: the deploy of the plan, followed to its end. */
export function deployCommand(
  ctx: ServiceContext,
  api: TopkeApi,
  plan: unknown,
  followOutput = false,
): Promise<DeployStatusResult> {
  const start = () => api.deploy(plan as never);
  return followDeploy(ctx, api, { what: 'deploy', whatCn: '部署', start }, followOutput);
}
