import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeconfigInspectResult } from '../../main/contract/results.js';
import { createHarness, type Harness } from '../clusters/harness.js';
import { adminKubeconfig, kubeconfigYaml } from './build.js';
import { b64, createTestPki, type KeyPair, type TestPki } from './pki.js';

let h: Harness;
let pki: TestPki;
let admin: KeyPair;
let yaml: string;

async function inspect(
  data: string,
  extra: Record<string, unknown> = {},
): Promise<KubeconfigInspectResult> {
  return (await h.call('kubeconfigInspect', {
    kube_config_data: data,
    ...extra,
  })) as KubeconfigInspectResult;
}

/** As `base64` (coreutils) prints it: lines of 76 characters. */
function wrap76(text: string): string {
  return text.match(/.{1,76}/g)!.join('\n') + '\n';
}

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (order === 'le') return le;
  return Buffer.concat([
    Buffer.from([0xfe, 0xff]),
    Buffer.from(Buffer.from(text, 'utf16le')).swap16(),
  ]);
}

beforeAll(() => {
  h = createHarness();
  pki = createTestPki();
  admin = pki.client('kubernetes-admin', 'system:masters');
  yaml = adminKubeconfig('https://127.0.0.1:6443', pki.ca.cert, admin);
});

afterAll(() => {
  h.close();
  pki.cleanup();
});

describe('kubeconfig encodings', () => {
  it('reads base64 of UTF-8 with a byte order mark, as in the spec example', async () => {
    const r = await inspect(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)]).toString('base64'),
    );
    expect(r).toMatchObject({
      encoding: 'base64',
      charset: 'utf-8',
      had_bom: true,
      current_context: 'kubernetes-admin@kubernetes',
    });
    expect(r.contexts.map((c) => [c.name, c.valid, c.server])).toEqual([
      ['kubernetes-admin@kubernetes', true, 'https://127.0.0.1:6443'],
    ]);
  });

  it('reads base64 with a BOM character in front of it, and base64 wrapped at 76 columns', async () => {
    expect(await inspect(`\uFEFF${b64(yaml)}`)).toMatchObject({
      encoding: 'base64',
      had_bom: false,
    });
    const wrapped = wrap76(b64(yaml));
    expect(wrapped.split('\n')[0]).toHaveLength(76);
    expect((await inspect(wrapped)).contexts[0]!.valid).toBe(true);
  });

  it('reads UTF-16 in both byte orders', async () => {
    expect(await inspect(utf16(yaml, 'le').toString('base64'))).toMatchObject({
      charset: 'utf-16le',
      had_bom: true,
    });
    const be = await inspect(utf16(yaml, 'be').toString('base64'));
    expect(be).toMatchObject({ charset: 'utf-16be', had_bom: true });
    expect(be.contexts[0]!.server).toBe('https://127.0.0.1:6443');
  });

  it('takes plain YAML where base64 was expected, and says so; a BOM before it is dropped', async () => {
    expect(await inspect(yaml)).toMatchObject({ encoding: 'yaml', had_bom: false });
    expect(await inspect(`\uFEFF${yaml}`)).toMatchObject({ encoding: 'yaml', had_bom: true });
  });

  it('reads JSON, also written on one line, as text and as base64', async () => {
    const json = JSON.stringify(parse(yaml));
    expect(json).not.toContain('\n');
    for (const data of [json, b64(json), JSON.stringify(parse(yaml), null, 2)]) {
      const r = await inspect(data);
      expect(r.contexts.map((c) => [c.name, c.valid, c.server])).toEqual([
        ['kubernetes-admin@kubernetes', true, 'https://127.0.0.1:6443'],
      ]);
    }
    await expect(inspect('{"hello": "world", "list": [1, 2]}')).rejects.toMatchObject({
      field: 'kube_config_data',
      message: expect.stringContaining('is neither base64 nor kubeconfig YAML'),
    });
  });

  it('refuses what is neither, naming the field', async () => {
    for (const data of ['hello, this is not a kubeconfig', b64('just some text\n')])
      await expect(inspect(data)).rejects.toMatchObject({
        code: 'kubeconfig_invalid',
        field: 'kube_config_data',
        message:
          'kube_config_data: is neither base64 nor kubeconfig YAML (expected "apiVersion:", "clusters:", "contexts:" or "users:")',
      });
  });

  it('reports a YAML error by line, without quoting the text', async () => {
    const broken = `apiVersion: v1\nusers:\n- name: a\n  user:\n    token: s3cr3t-token\n    token: again\n`;
    const err = (await inspect(broken).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'kubeconfig_invalid', field: 'kube_config_data' });
    expect(err.message).toBe(
      'kube_config_data: is not valid YAML: Map keys must be unique at line 6, column 5',
    );
    expect(err.message).not.toContain('s3cr3t');
    expect((err as Error & { messageCn: string }).messageCn).toBe(
      'kube_config_data：不是有效的 YAML：第 6 行第 5 列：映射中的键重复',
    );
  });

  it('refuses aliases that expand too much, and an alias to no anchor, in both languages', async () => {
    const rows = Array.from({ length: 8 }, (_, i) =>
      i === 0
        ? 'a0: &a0 [x, x, x, x, x, x, x, x, x]'
        : `a${i}: &a${i} [${`*a${i - 1}, `.repeat(9)}]`,
    );
    const bomb = `apiVersion: v1\n${rows.join('\n')}\nusers: *a7\n`;
    await expect(inspect(bomb)).rejects.toMatchObject({
      field: 'kube_config_data',
      message:
        'kube_config_data: is not valid YAML: its aliases expand too much (a resource exhaustion attack?)',
      messageCn: 'kube_config_data：不是有效的 YAML：别名展开过多（疑似资源耗尽攻击），已拒绝',
    });
    await expect(inspect('apiVersion: v1\nusers: *nowhere\n')).rejects.toMatchObject({
      field: 'kube_config_data',
      messageCn: expect.stringContaining('kube_config_data：不是有效的 YAML：'),
    });
  });
});

describe('kubeconfig contexts', () => {
  it('shows every context with cluster, user and server, and marks each invalid one with its reason', async () => {
    const doc = kubeconfigYaml({
      clusters: [
        {
          name: 'good',
          cluster: {
            server: 'https://127.0.0.1:6443',
            'certificate-authority-data': b64(pki.ca.cert),
          },
        },
        { name: 'empty-server', cluster: { server: '' } },
        {
          name: 'bad-ca',
          cluster: {
            server: 'https://127.0.0.1:6443',
            'certificate-authority-data': b64(
              '-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n',
            ),
          },
        },
      ],
      users: [
        {
          name: 'admin',
          user: { 'client-certificate-data': b64(admin.cert), 'client-key-data': b64(admin.key) },
        },
        {
          name: 'pem-not-base64',
          user: { 'client-certificate-data': admin.cert, 'client-key-data': b64(admin.key) },
        },
        { name: 'bob', user: { token: 'abc' } },
      ],
      contexts: [
        { name: 'ok', context: { cluster: 'good', user: 'admin', namespace: 'kube-system' } },
        { name: 'no-user', context: { cluster: 'good', user: 'ghost' } },
        { name: 'no-cluster', context: { cluster: 'nowhere', user: 'admin' } },
        { name: 'empty', context: { cluster: 'empty-server', user: 'admin' } },
        { name: 'malformed-ca', context: { cluster: 'bad-ca', user: 'bob' } },
        { name: 'malformed-cert', context: { cluster: 'good', user: 'pem-not-base64' } },
      ],
      current: 'ok',
    });
    const r = await inspect(b64(doc));
    expect(
      r.contexts.map((c) => [c.name, c.cluster, c.user, c.server, c.auth, c.current, c.valid]),
    ).toEqual([
      ['ok', 'good', 'admin', 'https://127.0.0.1:6443', 'client-certificate', true, true],
      ['no-user', 'good', 'ghost', 'https://127.0.0.1:6443', 'none', false, false],
      ['no-cluster', 'nowhere', 'admin', '', 'client-certificate', false, false],
      ['empty', 'empty-server', 'admin', '', 'client-certificate', false, false],
      ['malformed-ca', 'bad-ca', 'bob', '', 'token', false, false],
      [
        'malformed-cert',
        'good',
        'pem-not-base64',
        'https://127.0.0.1:6443',
        'client-certificate',
        false,
        false,
      ],
    ]);
    expect(r.contexts[0]!.namespace).toBe('kube-system');
    expect(r.contexts.slice(1).map((c) => c.problems.map((p) => p.message))).toEqual([
      ['contexts["no-user"].context.user: refers to user "ghost", which is not in the kubeconfig'],
      [
        'contexts["no-cluster"].context.cluster: refers to cluster "nowhere", which is not in the kubeconfig',
      ],
      ['clusters["empty-server"].cluster.server: is empty: the API server address is required'],
      ['clusters["bad-ca"].cluster.certificate-authority-data: holds a malformed certificate'],
      [
        'users["pem-not-base64"].user.client-certificate-data: holds PEM text, but must hold it base64-encoded',
      ],
    ]);
    expect(r.contexts[3]!.problems[0]).toMatchObject({
      field: 'clusters["empty-server"].cluster.server',
      message_cn: 'clusters["empty-server"].cluster.server：为空：必须填写 API Server 地址',
    });
    expect(r.default_contexts).toEqual(['ok']);
  });

  it('without a current context, defaults to every valid context', async () => {
    const doc = kubeconfigYaml({
      clusters: [
        { name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [
        { name: 'a', context: { cluster: 'c', user: 'u' } },
        { name: 'b', context: { cluster: 'c' } },
        { name: 'broken', context: { cluster: 'missing' } },
      ],
    });
    const r = await inspect(doc);
    expect(r.current_context).toBe('');
    expect(r.default_contexts).toEqual(['a', 'b']);
    expect(r.contexts.map((c) => c.insecure)).toEqual([true, true, false]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'context "a": insecure-skip-tls-verify is set, so the API server\'s certificate is not checked and anyone on the network path can pose as it',
      'context "b": insecure-skip-tls-verify is set, so the API server\'s certificate is not checked and anyone on the network path can pose as it',
    ]);
  });

  it('says so when there are no contexts at all', async () => {
    const r = await inspect(
      kubeconfigYaml({ clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }] }),
    );
    expect(r.contexts).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'the kubeconfig has no contexts: nothing to import',
    ]);
    await expect(
      h.call('clusterAdd', { Name: 'x', kube_config_data: kubeconfigYaml({}) }),
    ).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'kube_config_data',
      message: 'kube_config_data: the kubeconfig has no contexts: nothing to import',
    });
  });

  it('refuses a path reference in pasted text, naming the field and the path', async () => {
    const doc = kubeconfigYaml({
      clusters: [
        {
          name: 'c',
          cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'certs/ca.crt' },
        },
      ],
      users: [
        {
          name: 'u',
          user: {
            'client-certificate': '/etc/kubernetes/pki/admin.crt',
            'client-key': 'admin.key',
          },
        },
      ],
      contexts: [{ name: 'a', context: { cluster: 'c', user: 'u' } }],
      current: 'a',
    });
    const r = await inspect(b64(doc));
    expect(r.contexts[0]!.problems.map((p) => p.field)).toEqual([
      'clusters["c"].cluster.certificate-authority',
      'users["u"].user.client-certificate',
      'users["u"].user.client-key',
    ]);
    expect(r.contexts[0]!.problems[0]!.message).toBe(
      'clusters["c"].cluster.certificate-authority: refers to the file "certs/ca.crt", which cannot be found from pasted text or base64: import the kubeconfig file itself, or put the content inline (the matching *-data field)',
    );
    await expect(h.call('clusterAdd', { Name: 'x', kube_config_data: doc })).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'clusters["c"].cluster.certificate-authority',
    });
  });
});
