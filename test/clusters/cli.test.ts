// The `topke` command line's import, list, get and delete, run in-process on a fresh data folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli/topke.js';
import { startApiServer, type StandInApiServer } from '../support/apiserver.js';
import { kubeconfigYaml } from '../kubeconfig/build.js';
import type { ClusterAddResult, ClusterView } from '../../main/contract/results.js';
import { createTestPki, type TestPki } from '../kubeconfig/pki.js';

/** The envelope the command line prints, with the fields these commands answer. */
interface Printed {
  scode: number;
  message: string;
  message_cn: string;
  error?: { code: string; field?: string };
  data: Partial<ClusterAddResult> & { list: ClusterView[]; total_count: number; uuid: string };
}

let pki: TestPki;
let api: StandInApiServer;
let dir: string;

/** Runs the command line and answers its exit status and the JSON envelope it printed. */
async function topke(...args: string[]): Promise<{ status: number; out: Printed }> {
  let printed = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
  const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const status = await main([...args, '--data-dir', join(dir, 'data')]);
    return { status, out: JSON.parse(printed) as Printed };
  } finally {
    spy.mockRestore();
    quiet.mockRestore();
  }
}

beforeAll(async () => {
  pki = createTestPki();
  const admin = pki.client('kubernetes-admin', 'system:masters');
  api = await startApiServer({ ...pki.server({ ips: ['127.0.0.1'] }), clientCa: pki.ca.cert });
  dir = mkdtempSync(join(tmpdir(), 'topke-cli-'));
  mkdirSync(join(dir, 'kube', 'pki'), { recursive: true });
  writeFileSync(join(dir, 'kube', 'pki', 'ca.crt'), pki.ca.cert);
  writeFileSync(join(dir, 'kube', 'pki', 'admin.crt'), admin.cert);
  writeFileSync(join(dir, 'kube', 'pki', 'admin.key'), admin.key);
  const yaml = kubeconfigYaml({
    clusters: [
      { name: 'lab', cluster: { server: api.url, 'certificate-authority': 'pki/ca.crt' } },
    ],
    users: [
      {
        name: 'admin',
        user: { 'client-certificate': 'pki/admin.crt', 'client-key': 'pki/admin.key' },
      },
    ],
    contexts: [{ name: 'admin@lab', context: { cluster: 'lab', user: 'admin' } }],
    current: 'admin@lab',
  });
  // Written as UTF-16 with a byte order mark, as some Windows editors save it.
  writeFileSync(
    join(dir, 'kube', 'config'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]),
  );
});

afterAll(async () => {
  await api.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('topke import, list, get, delete', () => {
  it('imports a kubeconfig file whose certificate paths are relative to it', async () => {
    const imported = await topke('import', join(dir, 'kube', 'config'), '--name', 'from-cli');
    expect(imported.status).toBe(0);
    expect(imported.out.scode).toBe(0);
    const info = imported.out.data.Infos![0]!;
    expect(info).toMatchObject({ Name: 'from-cli', State: 'running', context: 'admin@lab' });
    expect(api.requests.at(-1)).toEqual({
      path: '/version',
      auth: 'certificate',
      user: 'kubernetes-admin',
    });

    const listed = await topke('list');
    expect(listed.out.data.list.map((c) => [c.name, c.state])).toEqual([['from-cli', 'running']]);
    const got = await topke('get', info.UUID);
    expect(got.out.data.list[0]!.kube_version?.gitVersion).toBe('v1.30.2');
    expect((await topke('delete', info.UUID)).out.data.uuid).toBe(info.UUID);
    expect((await topke('list')).out.data.total_count).toBe(0);
  });

  it('fails with the exact error and a non-zero status', async () => {
    writeFileSync(join(dir, 'pasted.txt'), 'not a kubeconfig at all');
    const failed = await topke('import', join(dir, 'pasted.txt'), '--name', 'bad');
    expect(failed.status).toBe(1);
    expect(failed.out).toMatchObject({
      scode: 422,
      error: { code: 'kubeconfig_invalid', field: 'FILE' },
      message: expect.stringMatching(/^FILE: /),
      message_cn: expect.stringMatching(/^FILE：/),
    });
  });

  it('names the file it cannot read', async () => {
    const failed = await topke('import', join(dir, 'missing.conf'), '--name', 'gone');
    expect(failed.status).toBe(1);
    expect(failed.out).toMatchObject({
      scode: 400,
      error: { code: 'invalid_field', field: 'FILE' },
    });
  });

  it('imports the context picked with --context', async () => {
    const picked = await topke(
      'import',
      join(dir, 'kube', 'config'),
      '--name',
      'picked',
      '--context',
      'admin@lab',
    );
    expect(picked.status).toBe(0);
    expect(picked.out.data.Infos!.map((i) => i.context)).toEqual(['admin@lab']);
    const wrong = await topke(
      'import',
      join(dir, 'kube', 'config'),
      '--name',
      'x',
      '--context',
      'nope',
    );
    expect(wrong.status).toBe(1);
    expect(wrong.out).toMatchObject({
      error: { field: '--context' },
      message: '--context: there is no context "nope"; the kubeconfig has: admin@lab',
    });
  });
});
