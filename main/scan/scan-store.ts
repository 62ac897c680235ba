import type { HostInfo, ScanState } from '../contract/results.js';
import type { Db } from '../store/db.js';
import { ipv4ToNumber } from './ipv4.js';

/** Where a scan stands: addresses done (those it could not probe included), hosts found, and
 * addresses tried again because the kernel's neighbour table was full. */
export interface ScanCounts {
  done: number;
  found: number;
  retried: number;
}

export interface StoredScan {
  uuid: string;
  state: ScanState;
  total: number;
  done: number;
  found: number;
  retried: number;
  /** The addresses the scan could not probe. */
  unprobed: string[];
  hosts: HostInfo[];
}

interface ScanRow {
  uuid: string;
  state: ScanState;
  total: number;
  done: number;
  found: number;
  retried: number;
  unprobed: string;
}

/** Scans and the hosts they found, in the scans and scan_hosts tables. The request is stored
 * without its secrets. */
export class ScanStore {
  constructor(private readonly db: Db) {}

  create(uuid: string, request: object, total: number): void {
    this.db
      .prepare('INSERT INTO scans (uuid, request, state, total, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(uuid, JSON.stringify(request), 'running', total, Date.now());
  }

  exists(uuid: string): boolean {
    return this.db.prepare('SELECT 1 FROM scans WHERE uuid = ?').get(uuid) !== undefined;
  }

  saveHost(uuid: string, host: HostInfo): void {
    this.db
      .prepare('INSERT OR REPLACE INTO scan_hosts (scan_uuid, ip, result) VALUES (?, ?, ?)')
      .run(uuid, host.ip, JSON.stringify(host));
  }

  progress(uuid: string, done: number, found: number): void {
    this.db.prepare('UPDATE scans SET done = ?, found = ? WHERE uuid = ?').run(done, found, uuid);
  }

  finish(uuid: string, state: ScanState, counts: ScanCounts, unprobed: string[]): void {
    this.db
      .prepare(
        `UPDATE scans SET state = ?, done = ?, found = ?, retried = ?, unprobed = ?, finished_at = ?
         WHERE uuid = ?`,
      )
      .run(
        state,
        counts.done,
        counts.found,
        counts.retried,
        JSON.stringify(unprobed),
        Date.now(),
        uuid,
      );
  }

  /** Scans left running by a process that stopped can never finish: mark them interrupted,
   * except those another live process is still running. */
  markInterrupted(runningElsewhere: (uuid: string) => boolean): string[] {
    const open = this.db.prepare("SELECT uuid FROM scans WHERE state = 'running'").all() as {
      uuid: string;
    }[];
    const stale = open.map((r) => r.uuid).filter((uuid) => !runningElsewhere(uuid));
    const mark = this.db.prepare(
      "UPDATE scans SET state = 'interrupted', finished_at = ? WHERE uuid = ? AND state = 'running'",
    );
    for (const uuid of stale) mark.run(Date.now(), uuid);
    return open.map((r) => r.uuid).filter((uuid) => !stale.includes(uuid));
  }

  latestUuid(): string | undefined {
    const row = this.db
      .prepare('SELECT uuid FROM scans ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get() as { uuid: string } | undefined;
    return row?.uuid;
  }

  load(uuid: string): StoredScan | undefined {
    const row = this.db
      .prepare(
        'SELECT uuid, state, total, done, found, retried, unprobed FROM scans WHERE uuid = ?',
      )
      .get(uuid) as ScanRow | undefined;
    if (!row) return undefined;
    const hosts = (
      this.db.prepare('SELECT result FROM scan_hosts WHERE scan_uuid = ?').all(uuid) as {
        result: string;
      }[]
    ).map((r) => JSON.parse(r.result) as HostInfo);
    return { ...row, unprobed: JSON.parse(row.unprobed) as string[], hosts: sortByAddress(hosts) };
  }
}

export function sortByAddress(hosts: HostInfo[]): HostInfo[] {
  return [...hosts].sort((a, b) => ipv4ToNumber(a.ip) - ipv4ToNumber(b.ip));
}
