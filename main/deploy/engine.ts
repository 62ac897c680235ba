import type { ServiceContext } from '../context.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import { createSshPool } from '../ssh/pool.js';
import type { SshPool } from '../ssh/types.js';
import { joinLines, type Bilingual } from './bilingual.js';
import { setClusterState } from './cluster-store.js';
import type { DeployPlan } from './plan.js';
import type { DeployRecorder } from './recorder.js';
import { FailureBudget, Stopped, StepFailure, type RunContext } from './run.js';
import { setupMasters } from './stage-masters.js';
import { updateCertificates } from './stage-certs.js';
import { prepareNodes } from './stage-nodes.js';
import { setupWorkers } from './stage-workers.js';
import { HOST_STATE, STAGE } from './stages.js';

const STOPPED: Bilingual = {
  message:
    'the deploy was interrupted: TopKE Installer stopped while it ran; run the deploy again to resume',
  messageCn: '部署被中断：TopKE Installer 在部署过程中停止了；再次运行部署即可从中断处继续',
};

function internalError(err: unknown): Bilingual {
  return { message: `internal error: ${String(err)}`, messageCn: `内部错误：${String(err)}` };
}

/** One deploy (or node addition) running in the background. */
export class DeployJob {
  private readonly controller = new AbortController();
  private readonly pool: SshPool;
  private readonly run: RunContext;
  private current = 0;
  /** The deploy's record is over (success or failure); its connections may still be closing. */
  readonly finished: Promise<void>;
  /** Over, and every connection closed. */
  readonly done: Promise<void>;

  constructor(
    services: ServiceContext,
    plan: DeployPlan,
    rec: DeployRecorder,
    private readonly ownNodes: Set<string>,
  ) {
    this.pool = createSshPool({
      knownHosts: createKnownHostsStore(services.db),
      log: services.log,
    });
    const budget = new FailureBudget(plan.maxFailedWorkers);
    this.run = {
      plan,
      rec,
      pool: this.pool,
      sessions: new Map(),
      budget,
      signal: this.controller.signal,
      services,
    };
    this.finished = this.execute();
    this.done = this.finished.finally(() => this.pool.closeAll());
  }

  /** Stops the deploy: no further step starts, and commands in flight lose their connection. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.pool.closeAll();
    await this.done;
  }

  private async stage<T>(idx: number, work: () => Promise<T>): Promise<T> {
    this.current = idx;
    this.run.rec.stageStarted(idx);
    const result = await work();
    this.run.rec.stageFinished(idx, null);
    return result;
  }

  private async execute(): Promise<void> {
    const { plan } = this.run;
    try {
      const ready = await this.stage(STAGE.nodes, () =>
        prepareNodes(this.run, plan.newHosts, this.ownNodes),
      );
      if (plan.kind === 'deploy') {
        await this.stage(STAGE.masters, () => setupMasters(this.run, plan.masters));
        await this.stage(STAGE.certificates, () => updateCertificates(this.run, plan.masters));
        // The control plane is up: the masters' own work is over (the first one still hands the
        // workers their join command, and is marked failed should that fail).
        for (const h of plan.masters)
          this.run.rec.hostMessage(STAGE.certificates, h.ip, HOST_STATE.done);
      } else {
        await this.stage(STAGE.masters, async () =>
          this.run.rec.note(null, 'node create: the masters are left as they are'),
        );
        await this.stage(STAGE.certificates, async () => undefined);
      }
      const workers = plan.workers.filter((w) => ready.includes(w));
      await this.stage(STAGE.workers, () => setupWorkers(this.run, plan.masters[0]!, workers));
      this.succeed();
    } catch (err) {
      this.fail(err);
    }
  }

  private failureLines(): Bilingual {
    return joinLines(this.run.budget.failures);
  }

  /** Every host has said where it ended as it got there (deployed, or failed within the budget). */
  private succeed(): void {
    const { plan, rec, services, budget } = this.run;
    const failed = budget.failures.map((f) => f.host.ip);
    rec.settleHosts(STAGE.workers);
    const note = failed.length
      ? `${failed.length} worker(s) failed and were left out: ${failed.join(', ')}`
      : '';
    if (plan.kind === 'deploy') setClusterState(services.db, plan.clusterUuid, 'running', note);
    rec.finished('success', this.failureLines(), STAGE.workers);
  }

  private fail(err: unknown): void {
    const { plan, rec, services, budget } = this.run;
    const reason = this.run.signal.aborted
      ? STOPPED
      : err instanceof StepFailure
        ? err
        : internalError(err);
    if (!(err instanceof Stopped || err instanceof StepFailure))
      services.log.error({ err }, 'deploy failed unexpectedly');
    const others = budget.failures.filter((f) => f !== err);
    const errInfo = rec.clean(joinLines([reason, ...others]));
    rec.stageFinished(this.current, errInfo);
    rec.settleHosts(this.current);
    if (plan.kind === 'deploy')
      setClusterState(
        services.db,
        plan.clusterUuid,
        'failed',
        errInfo.message.split('\n')[0]!.slice(0, 500),
      );
    rec.finished('failed', errInfo, this.current);
  }
}
