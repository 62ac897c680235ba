import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/store/db.js';
import { runMarkers } from '../../main/store/run-markers.js';
import { ScanStore } from '../../main/scan/scan-store.js';
import { processStart } from '../../main/store/process-identity.js';
import { unreapedChild } from '../support/zombie.js';

const dir = mkdtempSync(join(tmpdir(), 'topke-markers-'));
const other = spawn('sleep', ['600']);
afterAll(() => {
  other.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function markAs(kind: 'scans' | 'deploys', id: string, pid: number): void {
  runMarkers(dir, kind).mark(id);
  writeFileSync(join(dir, 'run', kind, id), String(pid));
}

describe('run markers', () => {
  it('tell work run by another live process from abandoned work', async () => {
    const markers = runMarkers(dir, 'deploys');
    markAs('deploys', 'live', other.pid!);
    const gone = spawn('true');
    await new Promise((r) => gone.on('exit', r));
    markAs('deploys', 'dead', gone.pid!);
    markers.mark('mine');
    expect(markers.runningElsewhere('live')).toBe(true);
    expect(markers.runningElsewhere('dead')).toBe(false);
    expect(markers.runningElsewhere('mine')).toBe(false);
    expect(markers.runningElsewhere('never')).toBe(false);
    markers.prune(['live']);
    expect(existsSync(join(dir, 'run', 'deploys', 'mine'))).toBe(false);
    expect(existsSync(join(dir, 'run', 'deploys', 'live'))).toBe(true);
  });

  it('name their process by its start too: a zombie, or a pid given to another, runs nothing', async () => {
    const markers = runMarkers(dir, 'deploys');
    const write = (id: string, holder: object) =>
      writeFileSync(join(dir, 'run', 'deploys', id), JSON.stringify(holder));
    markers.mark('self');
    expect(markers.holder('self')).toBe('self');
    write('other', { pid: other.pid, start: processStart(other.pid!) });
    expect(markers.holder('other')).toBe('other');
    // The same pid, but a process that started at another time: the writer is gone.
    write('reused', { pid: other.pid, start: `${processStart(other.pid!)}0` });
    expect(markers.holder('reused')).toBe('none');
    const child = await unreapedChild();
    try {
      write('zombie', { pid: child.pid, start: processStart(child.pid) });
      expect(markers.holder('zombie')).toBe('other');
      await child.kill();
      expect(markers.holder('zombie')).toBe('none');
      // A marker of the earlier format, the pid alone, of a zombie.
      markAs('deploys', 'zombie-pid', child.pid);
      expect(markers.holder('zombie-pid')).toBe('none');
    } finally {
      child.end();
    }
    write('garbled', { pid: 'x' });
    expect(markers.holder('garbled')).toBe('none');
  });

  it('keep a scan that another process still runs out of the interrupted ones', () => {
    const db = openDatabase(join(dir, 'db'));
    const insert = db.prepare(
      "INSERT INTO scans (uuid, request, state, total, created_at) VALUES (?, '{}', 'running', 4, 1)",
    );
    insert.run('scan-live');
    insert.run('scan-stale');
    markAs('scans', 'scan-live', other.pid!);
    const markers = runMarkers(dir, 'scans');
    const still = new ScanStore(db).markInterrupted((uuid) => markers.runningElsewhere(uuid));
    expect(still).toEqual(['scan-live']);
    const states = db.prepare('SELECT uuid, state FROM scans ORDER BY uuid').all();
    expect(states).toEqual([
      { uuid: 'scan-live', state: 'running' },
      { uuid: 'scan-stale', state: 'interrupted' },
    ]);
    db.close();
  });
});
