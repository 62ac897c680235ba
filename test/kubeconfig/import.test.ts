import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type {
  ClusterAddResult,
  ClusterGetResult,
  KubeconfigDownloadResult,
  KubeconfigInspectResult,
} from '../../main/contract/results.js';
import { createHarness, type Harness } from '../clusters/harness.js';
import { adminKubeconfig, kubeconfigYaml } from './build.js';
import { BASIC, createFixture, OTHER_NAME, TOKEN, type Fixture } from './fixture.js';
import { b64 } from './pki.js';
import { startConnectProxy, startSocksProxy } from './proxies.js';

let h: Harness;
let f: Fixture;
let home: string;

async function add(input: Record<string, unknown>): Promise<ClusterAddResult> {
  return (await h.call('clusterAdd', input)) as ClusterAddResult;
}
/** The engineer's consent: the fingerprints inspection shows for the kubeconfig's exec plugins. */
async function fingerprints(data: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const r = (await h.call('kubeconfigInspect', {
    kube_config_data: data,
    ...extra,
  })) as KubeconfigInspectResult;
  return r.contexts.flatMap((c) => (c.exec ? [c.exec.fingerprint] : []));
}
async function get(uuid: string) {
  return ((await h.call('clusterGet', { uuid })) as ClusterGetResult).list[0]!;
}

/** A kubeconfig with one context for `server`, trusting the test CA, with `user`. */
function oneContext(
  server: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
): string {
  return kubeconfigYaml({
    clusters: [
      {
        name: 'lab',
        cluster: { server, 'certificate-authority-data': b64(f.pki.ca.cert), ...cluster },
      },
    ],
    users: [{ name: 'someone', user }],
    contexts: [{ name: 'someone@lab', context: { cluster: 'lab', user: 'someone' } }],
    current: 'someone@lab',
  });
}

beforeAll(async () => {
  f = await createFixture();
  home = mkdtempSync(join(tmpdir(), 'topke-home-'));
  // A desktop launcher's environment: HOME set, PATH without the user's own bin folders.
  process.env.HOME = home;
  process.env.PATH = '/usr/bin:/bin';
});

beforeEach(() => {
  h?.close();
  h = createHarness();
});

afterAll(async () => {
  h.close();
  await f.close();
  rmSync(home, { recursive: true, force: true });
});

describe('cluster add with client certificates (mutual TLS)', () => {
  it('imports the spec form (base64 with a BOM), reads /version, and answers the spec shape', async () => {
    const yaml = adminKubeconfig(f.api.url, f.pki.ca.cert, f.admin);
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)]).toString(
      'base64',
    );
    const r = await add({ Name: '2.5', kube_config_data: data });
    expect(r.TotalCount).toBe(1);
    const info = r.Infos[0]!;
    expect(info).toMatchObject({
      Name: '2.5',
      State: 'running',
      is_managed: true,
      IsStop: false,
      Attr: null,
      context: 'kubernetes-admin@kubernetes',
      warnings: [],
    });
    expect(info.Config).toMatchObject({ Host: f.api.url, Password: '', BearerToken: '' });
    expect(info.Config.TlsClientConfig).toMatchObject({
      CAData: b64(f.pki.ca.cert),
      CertData: b64(f.admin.cert),
      KeyData: '',
      Insecure: false,
    });
    expect(f.api.requests.at(-1)).toEqual({
      path: '/version',
      auth: 'certificate',
      user: 'kubernetes-admin',
    });

    const got = await get(info.UUID);
    expect(got).toMatchObject({
      name: '2.5',
      source: 'imported',
      state: 'running',
      tenant_name: 'default',
      kube_config_data: '',
    });
    expect(got.kube_version).toMatchObject({
      major: '1',
      minor: '30',
      gitVersion: 'v1.30.2',
      platform: 'linux/amd64',
    });
    const clientExpiry = Math.floor(
      Date.parse(new (await import('node:crypto')).X509Certificate(f.admin.cert).validTo) / 1000,
    );
    expect(got.cert_expiry).toBe(clientExpiry);
    expect(JSON.stringify(got)).not.toContain(b64(f.admin.key).slice(0, 40));
  });

  it('seals the kubeconfig, and gives it back in clear only on download', async () => {
    const yaml = adminKubeconfig(f.api.url, f.pki.ca.cert, f.admin);
    const { Infos } = await add({ Name: 'sealed', kube_config_data: b64(yaml) });
    const row = h.ctx.db
      .prepare('SELECT kubeconfig_enc FROM clusters WHERE uuid = ?')
      .get(Infos[0]!.UUID) as { kubeconfig_enc: Buffer };
    expect(row.kubeconfig_enc.toString('latin1')).not.toContain('client-key-data');
    const dl = (await h.call('kubeconfigDownload', {
      uuid: Infos[0]!.UUID,
    })) as KubeconfigDownloadResult;
    expect(dl).toMatchObject({ name: 'sealed', file_name: 'sealed.kubeconfig' });
    const doc = parse(dl.kube_config_data) as {
      users: { user: Record<string, string> }[];
      'current-context': string;
    };
    expect(doc.users[0]!.user['client-key-data']).toBe(b64(f.admin.key));
    expect(doc['current-context']).toBe('kubernetes-admin@kubernetes');
  });

  it('refuses a client certificate the API server does not trust', async () => {
    const stranger = f.pki.otherCa();
    const yaml = oneContext(f.api.url, {
      'client-certificate-data': b64(stranger.cert),
      'client-key-data': b64(stranger.key),
    });
    await expect(add({ Name: 'x', kube_config_data: yaml })).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'users["someone"]',
      message: 'users["someone"]: the API server refused these credentials (HTTP 401 Unauthorized)',
    });
    expect(((await h.call('clusterList', {})) as { total_count: number }).total_count).toBe(0);
  });

  it('refuses a server certificate not signed by the kubeconfig CA', async () => {
    const other = f.pki.otherCa();
    const yaml = oneContext(
      f.api.url,
      { token: TOKEN },
      { 'certificate-authority-data': b64(other.cert) },
    );
    await expect(add({ Name: 'x', kube_config_data: yaml })).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'clusters["lab"].cluster.certificate-authority-data',
      message: `clusters["lab"].cluster.certificate-authority-data: the API server's certificate is not signed by this certificate authority (SELF_SIGNED_CERT_IN_CHAIN)`,
    });
  });
});

describe('cluster add with several contexts', () => {
  const doc = () =>
    kubeconfigYaml({
      clusters: [
        {
          name: 'a',
          cluster: { server: f.api.url, 'certificate-authority-data': b64(f.pki.ca.cert) },
        },
        {
          name: 'b',
          cluster: {
            server: f.named.url,
            'certificate-authority-data': b64(f.pki.ca.cert),
            'tls-server-name': OTHER_NAME,
          },
        },
        { name: 'broken', cluster: { server: '' } },
      ],
      users: [
        {
          name: 'admin',
          user: {
            'client-certificate-data': b64(f.admin.cert),
            'client-key-data': b64(f.admin.key),
          },
        },
      ],
      contexts: [
        { name: 'admin@a', context: { cluster: 'a', user: 'admin' } },
        { name: 'admin@b', context: { cluster: 'b', user: 'admin' } },
        { name: 'admin@broken', context: { cluster: 'broken', user: 'admin' } },
      ],
      current: 'admin@b',
    });

  it('imports the current context by default, leaving the others', async () => {
    const r = await add({ Name: 'site', kube_config_data: b64(doc()) });
    expect(
      r.Infos.map((i) => [i.Name, i.context, i.Config.Host, i.Config.TlsClientConfig.ServerName]),
    ).toEqual([['site', 'admin@b', f.named.url, OTHER_NAME]]);
    expect((await get(r.Infos[0]!.UUID)).kube_version?.gitVersion).toBe('v1.29.6');
  });

  it('imports the picked contexts, each as a cluster named after it', async () => {
    const r = await add({
      Name: 'site',
      kube_config_data: b64(doc()),
      contexts: ['admin@a', 'admin@b'],
    });
    expect(r.Infos.map((i) => [i.Name, i.context, i.State])).toEqual([
      ['site-admin-a', 'admin@a', 'running'],
      ['site-admin-b', 'admin@b', 'running'],
    ]);
  });

  it('refuses a picked broken context with its reason, and saves none', async () => {
    await expect(
      add({ Name: 'site', kube_config_data: b64(doc()), contexts: ['admin@a', 'admin@broken'] }),
    ).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'clusters["broken"].cluster.server',
      message:
        'context "admin@broken": clusters["broken"].cluster.server: is empty: the API server address is required',
    });
    await expect(
      add({ Name: 'site', kube_config_data: b64(doc()), contexts: ['nope'] }),
    ).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'contexts[0]',
      message:
        'contexts[0]: there is no context "nope"; the kubeconfig has: admin@a, admin@b, admin@broken',
    });
    expect(((await h.call('clusterList', {})) as { total_count: number }).total_count).toBe(0);
  });

  it('refuses a broken current context with its reason', async () => {
    const brokenCurrent = doc().replace(/^current-context:.*$/m, 'current-context: admin@broken');
    await expect(add({ Name: 'site', kube_config_data: brokenCurrent })).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'clusters["broken"].cluster.server',
    });
  });

  it('imports every valid context when none is current', async () => {
    const noCurrent = doc().replace(/^current-context:.*$/m, '');
    const r = await add({ Name: 'all', kube_config_data: noCurrent });
    expect(r.Infos.map((i) => i.context)).toEqual(['admin@a', 'admin@b']);
  });

  it('refuses a name already used in the tenant', async () => {
    await add({ Name: 'twice', kube_config_data: b64(doc()) });
    await expect(add({ Name: 'twice', kube_config_data: b64(doc()) })).rejects.toMatchObject({
      code: 'conflict',
      field: 'Name',
      message: 'Name: this tenant already has a cluster named "twice"',
    });
  });
});

describe('cluster add from a file with relative paths', () => {
  it('resolves certificate paths relative to the file and stores them inline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topke-kc-'));
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'pki', 'ca.crt'), f.pki.ca.cert);
    writeFileSync(join(dir, 'pki', 'admin.crt'), f.admin.cert);
    writeFileSync(join(dir, 'pki', 'admin.key'), f.admin.key);
    const yaml = kubeconfigYaml({
      clusters: [
        { name: 'lab', cluster: { server: f.api.url, 'certificate-authority': 'pki/ca.crt' } },
      ],
      users: [
        {
          name: 'admin',
          user: { 'client-certificate': 'pki/admin.crt', 'client-key': './pki/admin.key' },
        },
      ],
      contexts: [{ name: 'admin@lab', context: { cluster: 'lab', user: 'admin' } }],
      current: 'admin@lab',
    });
    writeFileSync(join(dir, 'config'), yaml);
    const r = await add({
      Name: 'from-file',
      kube_config_data: b64(yaml),
      source_path: join(dir, 'config'),
    });
    expect(r.Infos[0]!.Config.TlsClientConfig).toMatchObject({
      CAData: b64(f.pki.ca.cert),
      CertData: b64(f.admin.cert),
      CAFile: '',
      CertFile: '',
    });
    rmSync(dir, { recursive: true, force: true });
    const dl = (await h.call('kubeconfigDownload', {
      uuid: r.Infos[0]!.UUID,
    })) as KubeconfigDownloadResult;
    expect(dl.kube_config_data).not.toContain('pki/');
    expect(dl.kube_config_data).toContain(`certificate-authority-data: ${b64(f.pki.ca.cert)}`);
  });

  it('names a referenced file that cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topke-kc-'));
    const yaml = oneContext(
      f.api.url,
      { token: TOKEN },
      { 'certificate-authority-data': undefined, 'certificate-authority': 'missing/ca.crt' },
    );
    await expect(
      add({ Name: 'x', kube_config_data: yaml, source_path: join(dir, 'config') }),
    ).rejects.toMatchObject({
      field: 'clusters["lab"].cluster.certificate-authority',
      message: `context "someone@lab": clusters["lab"].cluster.certificate-authority: refers to "${join(dir, 'missing/ca.crt')}", which cannot be read (ENOENT)`,
    });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('cluster add with other credentials', () => {
  it('imports a token user and a basic-auth user', async () => {
    await add({ Name: 'tok', kube_config_data: oneContext(f.api.url, { token: TOKEN }) });
    expect(f.api.requests.at(-1)).toMatchObject({ auth: 'token' });
    const basic = await add({
      Name: 'basic',
      kube_config_data: oneContext(f.api.url, { username: BASIC.user, password: BASIC.password }),
    });
    expect(f.api.requests.at(-1)).toMatchObject({ auth: 'basic', user: 'ops' });
    expect(basic.Infos[0]!.Config).toMatchObject({ Username: 'ops', Password: '' });
    await expect(
      add({ Name: 'bad', kube_config_data: oneContext(f.api.url, { token: 'wrong' }) }),
    ).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      message: 'users["someone"]: the API server refused these credentials (HTTP 401 Unauthorized)',
    });
  });

  it('says so when no CA is given and the system does not trust the server', async () => {
    const yaml = oneContext(f.open.url, {}, { 'certificate-authority-data': undefined });
    await expect(add({ Name: 'no-ca', kube_config_data: yaml })).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'clusters["lab"].cluster.certificate-authority-data',
      message: `clusters["lab"].cluster.certificate-authority-data: is not given, and the system does not trust the API server's certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE): add the cluster's CA`,
    });
  });

  it('imports with insecure-skip-tls-verify, with a warning', async () => {
    const yaml = oneContext(
      f.open.url,
      {},
      { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true },
    );
    const r = await add({ Name: 'insecure', kube_config_data: yaml });
    expect(r.Infos[0]!.Config.TlsClientConfig.Insecure).toBe(true);
    expect(r.Infos[0]!.warnings.map((w) => w.message)).toEqual([
      `context "someone@lab": insecure-skip-tls-verify is set, so the API server's certificate is not checked and anyone on the network path can pose as it`,
    ]);
    expect((await get(r.Infos[0]!.UUID)).kube_version?.gitVersion).toBe('v1.28.11');
  });

  it('checks the server certificate against tls-server-name when it names another host', async () => {
    const user = {
      token: TOKEN,
      'client-certificate-data': b64(f.admin.cert),
      'client-key-data': b64(f.admin.key),
    };
    await expect(
      add({ Name: 'x', kube_config_data: oneContext(f.named.url, user) }),
    ).rejects.toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'clusters["lab"].cluster.server',
      message: expect.stringMatching(
        /^clusters\["lab"\]\.cluster\.server: the API server's certificate does not match the name: IP: 127\.0\.0\.1 is not in the cert's list.*set tls-server-name/,
      ),
    });
    const r = await add({
      Name: 'named',
      kube_config_data: oneContext(f.named.url, user, { 'tls-server-name': OTHER_NAME }),
    });
    expect(r.Infos[0]!.Config.TlsClientConfig.ServerName).toBe(OTHER_NAME);
    await expect(
      add({
        Name: 'y',
        kube_config_data: oneContext(f.named.url, user, { 'tls-server-name': 'wrong.example' }),
      }),
    ).rejects.toMatchObject({
      field: 'clusters["lab"].cluster.tls-server-name',
    });
  });

  it('runs an exec plugin found only in ~/.local/bin, and uses the token it prints', async () => {
    mkdirSync(join(home, '.local', 'bin'), { recursive: true });
    const plugin = join(home, '.local', 'bin', 'kube-token-plugin');
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: TOKEN },
    });
    writeFileSync(
      plugin,
      `#!/bin/sh\n[ -n "$KUBERNETES_EXEC_INFO" ] || exit 3\necho '${credential}'\n`,
    );
    chmodSync(plugin, 0o755);
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'kube-token-plugin',
      args: ['--cluster', 'lab'],
    };
    const yaml = oneContext(f.api.url, { exec });
    const r = await add({
      Name: 'exec',
      kube_config_data: yaml,
      allow_exec: await fingerprints(yaml),
    });
    expect(r.Infos[0]!.State).toBe('running');
    expect(f.api.requests.at(-1)).toMatchObject({ auth: 'token' });
    const dl = (await h.call('kubeconfigDownload', {
      uuid: r.Infos[0]!.UUID,
    })) as KubeconfigDownloadResult;
    expect(dl.kube_config_data).toContain('command: kube-token-plugin');
    expect(dl.kube_config_data).not.toContain(TOKEN);
  });

  it('runs an exec plugin given relative to the kubeconfig file, and refuses it in pasted text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topke-kc-'));
    mkdirSync(join(dir, 'bin'));
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: TOKEN },
    });
    writeFileSync(join(dir, 'bin', 'auth'), `#!/bin/sh\necho '${credential}'\n`, { mode: 0o755 });
    const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/auth' };
    const yaml = oneContext(f.api.url, { exec });
    const r = await add({
      Name: 'rel-exec',
      kube_config_data: yaml,
      source_path: join(dir, 'config'),
      allow_exec: await fingerprints(yaml, { source_path: join(dir, 'config') }),
    });
    expect(r.Infos[0]!.State).toBe('running');
    await expect(add({ Name: 'pasted-exec', kube_config_data: yaml })).rejects.toMatchObject({
      field: 'users["someone"].user.exec.command',
      message: expect.stringContaining(
        'refers to the file "./bin/auth", which cannot be found from pasted text or base64',
      ),
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a failing plugin by its stderr, and never repeats output that is not JSON', async () => {
    const bin = join(home, '.local', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'kube-fails'),
      '#!/bin/sh\necho "login expired: run sso login" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    writeFileSync(join(bin, 'kube-raw'), `#!/bin/sh\necho ${TOKEN}\n`, { mode: 0o755 });
    const allowed = async (command: string) => {
      const yaml = oneContext(f.api.url, {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command },
      });
      return { Name: 'x', kube_config_data: yaml, allow_exec: await fingerprints(yaml) };
    };
    await expect(add(await allowed('kube-fails'))).rejects.toMatchObject({
      field: 'users["someone"].user.exec',
      message:
        'users["someone"].user.exec: the credential plugin "kube-fails" failed: login expired: run sso login',
      messageCn:
        'users["someone"].user.exec：凭据插件 “kube-fails” 执行失败：退出状态 1，错误输出为：login expired: run sso login',
    });
    const raw = (await add(await allowed('kube-raw')).catch((e: unknown) => e)) as Error & {
      messageCn: string;
    };
    expect(raw.message).toBe(
      'users["someone"].user.exec: the credential plugin "kube-raw" failed: its output is not ExecCredential JSON',
    );
    expect(raw.messageCn).toBe(
      'users["someone"].user.exec：凭据插件 “kube-raw” 执行失败：其输出不是 ExecCredential JSON',
    );
    expect(JSON.stringify(raw)).not.toContain(TOKEN);
  });

  it('says clearly when the exec plugin is not found, and where it looked', async () => {
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'no-such-auth-plugin',
      installHint: 'Install it from the vendor bundle.',
    };
    const yaml = oneContext(f.api.url, { exec });
    const err = (await add({
      Name: 'x',
      kube_config_data: yaml,
      allow_exec: await fingerprints(yaml),
    }).catch((e: unknown) => e)) as Error & { field: string };
    expect(err).toMatchObject({
      code: 'kubeconfig_invalid',
      field: 'users["someone"].user.exec.command',
    });
    expect(err.message).toMatch(
      /^users\["someone"\]\.user\.exec\.command: the credential plugin "no-such-auth-plugin" was not found \(searched \/usr\/bin:\/bin:\/usr\/local\/bin:.*:\/opt\/homebrew\/bin:.*\.local\/bin.*\)\. Install it from the vendor bundle\.$/,
    );
    expect(err.message).toContain(join(home, '.local', 'bin'));
  });

  it('goes through an HTTP CONNECT proxy and a SOCKS5 proxy', async () => {
    const http = await startConnectProxy();
    const socks = await startSocksProxy();
    try {
      await add({
        Name: 'via-http',
        kube_config_data: oneContext(f.api.url, { token: TOKEN }, { 'proxy-url': http.url }),
      });
      expect(http.targets).toEqual([`127.0.0.1:${f.api.port}`]);
      await add({
        Name: 'via-socks',
        kube_config_data: oneContext(f.api.url, { token: TOKEN }, { 'proxy-url': socks.url }),
      });
      expect(socks.targets).toEqual([`127.0.0.1:${f.api.port}`]);
    } finally {
      await Promise.all([http.close(), socks.close()]);
    }
  });
});

describe('cluster add of an unreachable server', () => {
  const unreachable = () => oneContext(`https://127.0.0.1:${f.closedPort}`, { token: TOKEN });

  it('refuses without save_unreachable, saying how to keep it', async () => {
    await expect(add({ Name: 'far', kube_config_data: unreachable() })).rejects.toMatchObject({
      code: 'unreachable',
      field: 'clusters["lab"].cluster.server',
      message: expect.stringMatching(
        new RegExp(
          `^clusters\\["lab"\\]\\.cluster\\.server: https://127\\.0\\.0\\.1:${f.closedPort} is unreachable: .*\\(ECONNREFUSED\\); set save_unreachable to save it anyway, marked unreachable$`,
        ),
      ),
    });
  });

  it('saves it marked unreachable with save_unreachable', async () => {
    const r = await add({ Name: 'far', kube_config_data: unreachable(), save_unreachable: true });
    expect(r.Infos[0]).toMatchObject({
      State: 'unreachable',
      state_desc: expect.stringContaining('ECONNREFUSED'),
    });
    const got = await get(r.Infos[0]!.UUID);
    // Its version is not known: the spec's kube_version object, every field empty.
    expect(got.state).toBe('unreachable');
    expect(Object.values(got.kube_version)).toEqual(Array(9).fill(''));
  });
});
