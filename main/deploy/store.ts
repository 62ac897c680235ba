import type { Db } from '../store/db.js';
import type { Bilingual } from './bilingual.js';
import { HOST_STATE, NODE_STATE, STAGES, type HostMessage } from './stages.js';

export type StepState = 'running' | 'ok' | 'failed' | 'skipped';
export type DeployKind = 'deploy' | 'node_create';

export const now = (): number => Math.floor(Date.now() / 1000);

/** Writes of one deploy's records: each call is one small statement, committed at once, so the
 * status view and a restart always see what has happened so far. */
export class DeployStore {
  constructor(
    private readonly db: Db,
    readonly deployId: string,
  ) {}

  create(
    clusterUuid: string,
    kind: DeployKind,
    request: object,
    hosts: { ip: string; role: string }[],
  ): void {
    const at = now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO deploys (id, cluster_uuid, kind, request, state, created_at) VALUES (?, ?, ?, ?, 'running', ?)`,
        )
        .run(this.deployId, clusterUuid, kind, JSON.stringify(request), at);
      const stage = this.db.prepare(
        'INSERT INTO deploy_stages (deploy_id, idx, name, name_cn) VALUES (?, ?, ?, ?)',
      );
      STAGES.forEach((s, idx) => stage.run(this.deployId, idx, s.name, s.name_cn));
      const host = this.db.prepare(
        `INSERT INTO deploy_hosts (deploy_id, addr, role, message, time) VALUES (?, ?, ?, 'uninitialized', ?)`,
      );
      for (const h of hosts) host.run(this.deployId, h.ip, h.role, at);
    })();
  }

  stageStarted(idx: number): void {
    this.db
      .prepare('UPDATE deploy_stages SET start_time = ? WHERE deploy_id = ? AND idx = ?')
      .run(now(), this.deployId, idx);
    this.db.prepare('UPDATE deploys SET current_stage = ? WHERE id = ?').run(idx, this.deployId);
  }

  stageFinished(idx: number, error: Bilingual | null): void {
    this.db
      .prepare(
        `UPDATE deploy_stages SET end_time = ?, success = ?, error = ?, error_cn = ?, is_finish = 1
         WHERE deploy_id = ? AND idx = ?`,
      )
      .run(
        now(),
        error === null ? 1 : 0,
        error?.message ?? null,
        error?.messageCn ?? null,
        this.deployId,
        idx,
      );
  }

  /** Returns false when the host is not one this deploy works on (a node create's masters). */
  hostMessage(addr: string, message: HostMessage): boolean {
    const info = this.db
      .prepare('UPDATE deploy_hosts SET message = ?, time = ? WHERE deploy_id = ? AND addr = ?')
      .run(message, now(), this.deployId, addr);
    return info.changes > 0;
  }

  /** The host's message, and the same word for its node in the cluster's record, at once. */
  hostState(clusterUuid: string, addr: string, message: HostMessage): void {
    this.db.transaction(() => {
      if (this.hostMessage(addr, message)) this.nodeState(clusterUuid, addr, message);
    })();
  }

  /** Ends every host still waiting or working when the deploy ends: "stopped" when a step ran on
   * it, "not_reached" otherwise; its node says the same. Answers the hosts it ended. */
  settleHosts(clusterUuid: string): { addr: string; message: HostMessage }[] {
    return this.db.transaction(() => {
      const open = this.db
        .prepare(
          `SELECT addr, EXISTS (SELECT 1 FROM deploy_steps s
             WHERE s.deploy_id = h.deploy_id AND s.host = h.addr) AS reached
           FROM deploy_hosts h WHERE deploy_id = ? AND message IN (?, ?) ORDER BY rowid`,
        )
        .all(this.deployId, HOST_STATE.waiting, HOST_STATE.working) as {
        addr: string;
        reached: number;
      }[];
      return open.map(({ addr, reached }) => {
        const message = reached ? HOST_STATE.stopped : HOST_STATE.notReached;
        this.hostState(clusterUuid, addr, message);
        return { addr, message };
      });
    })();
  }

  private nodeState(clusterUuid: string, ip: string, message: HostMessage): void {
    this.db
      .prepare('UPDATE nodes SET state = ? WHERE cluster_uuid = ? AND ip = ?')
      .run(NODE_STATE[message], clusterUuid, ip);
  }

  stepStarted(stage: number, host: string, step: string): number {
    const info = this.db
      .prepare(
        `INSERT INTO deploy_steps (deploy_id, stage, host, step, state, start_time) VALUES (?, ?, ?, ?, 'running', ?)`,
      )
      .run(this.deployId, stage, host, step, now());
    return Number(info.lastInsertRowid);
  }

  /** The output so far of a step that still runs; a step that has ended keeps its own. */
  stepOutput(id: number, output: string): void {
    this.db
      .prepare(`UPDATE deploy_steps SET output = ? WHERE id = ? AND state = 'running'`)
      .run(output, id);
  }

  stepFinished(
    id: number,
    state: StepState,
    exitCode: number | null,
    output: string,
    error: Bilingual | null,
  ): void {
    this.db
      .prepare(
        `UPDATE deploy_steps SET state = ?, end_time = ?, exit_code = ?, output = ?, error = ?,
         error_cn = ? WHERE id = ?`,
      )
      .run(state, now(), exitCode, output, error?.message ?? null, error?.messageCn ?? null, id);
  }

  log(level: string, host: string | null, message: string): void {
    this.db
      .prepare(
        'INSERT INTO deploy_logs (deploy_id, time, level, host, message) VALUES (?, ?, ?, ?, ?)',
      )
      .run(this.deployId, now(), level, host, message);
  }

  finished(state: 'success' | 'failed', errInfo: Bilingual): void {
    this.db
      .prepare(
        `UPDATE deploys SET state = ?, is_over = 1, err_info = ?, err_info_cn = ?, finished_at = ?
         WHERE id = ?`,
      )
      .run(state, errInfo.message, errInfo.messageCn, now(), this.deployId);
  }
}
