// A kubeconfig's exec credential plugin runs a program on this machine with the service's rights:
// inspection shows it, and it runs only when the engineer allowed exactly that command
// (allow_exec in the API, --allow-exec on the command line, the import screen's box).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli/topke.js';
import type {
  ClusterAddResult,
  ClusterListResult,
  KubeconfigInspectResult,
} from '../../main/contract/results.js';
import { createHarness, type Harness } from '../clusters/harness.js';
import { kubeconfigYaml } from './build.js';
import { createFixture, TOKEN, type Fixture } from './fixture.js';
import { b64 } from './pki.js';

let h: Harness;
let f: Fixture;
let dir: string;
/** The file the plugin writes when it runs: its absence proves it did not. */
let marker: string;
let script: string;

type Exec = Record<string, unknown>;

function kubeconfig(exec: Exec): string {
  return kubeconfigYaml({
    clusters: [
      {
        name: 'lab',
        cluster: { server: f.api.url, 'certificate-authority-data': b64(f.pki.ca.cert) },
      },
    ],
    users: [{ name: 'someone', user: { exec } }],
    contexts: [{ name: 'someone@lab', context: { cluster: 'lab', user: 'someone' } }],
    current: 'someone@lab',
  });
}

/** As the tester wrote it: `sh -c` with a command line of its own. */
function shExec(extra: Exec = {}): Exec {
  return {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: 'sh',
    args: ['-c', script],
    ...extra,
  };
}

async function add(input: Record<string, unknown>): Promise<ClusterAddResult> {
  return (await h.call('clusterAdd', input)) as ClusterAddResult;
}

async function inspect(input: Record<string, unknown>): Promise<KubeconfigInspectResult> {
  return (await h.call('kubeconfigInspect', input)) as KubeconfigInspectResult;
}

async function fingerprintOf(yaml: string): Promise<string> {
  return (await inspect({ kube_config_data: yaml })).contexts[0]!.exec!.fingerprint;
}

async function clusterCount(): Promise<number> {
  return ((await h.call('clusterList', {})) as ClusterListResult).total_count;
}

beforeAll(async () => {
  f = await createFixture();
  dir = mkdtempSync(join(tmpdir(), 'topke-exec-'));
  marker = join(dir, 'ran');
  const credential = join(dir, 'credential.json');
  writeFileSync(
    credential,
    JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: TOKEN },
    }),
  );
  script = `id > ${marker}; cat ${credential}`;
});

beforeEach(() => {
  h?.close();
  h = createHarness();
  rmSync(marker, { force: true });
});

afterAll(async () => {
  h.close();
  await f.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cluster add of a context whose user runs an exec plugin', () => {
  it('refuses it without consent: nothing runs, nothing is saved, and the error says what to do', async () => {
    const yaml = kubeconfig(shExec());
    const fingerprint = await fingerprintOf(yaml);
    const line = `sh -c '${script}'`;
    for (const extra of [{}, { save_unreachable: true }, { allow_exec: [] }]) {
      const err = await add({ Name: 'x', kube_config_data: yaml, ...extra }).catch((e) => e);
      expect(err).toMatchObject({
        code: 'kubeconfig_invalid',
        field: 'users["someone"].user.exec',
        message: `users["someone"].user.exec: context "someone@lab" gets its credentials by running this program on this machine, which was not run: ${line}. If you trust it, allow exactly this command: add "${fingerprint}" to allow_exec (topke import: --allow-exec ${fingerprint}; in the app, tick "Allow this command to run")`,
        messageCn: `users["someone"].user.exec：上下文 “someone@lab” 需要在本机运行以下程序获取凭据，该程序未被运行：${line}。如信任该命令，请明确允许它：将 “${fingerprint}” 加入 allow_exec（topke import：--allow-exec ${fingerprint}；在应用中勾选“允许运行此命令”）`,
      });
    }
    expect(existsSync(marker)).toBe(false);
    expect(await clusterCount()).toBe(0);
  });

  it('runs it and imports the cluster when its fingerprint is allowed', async () => {
    const yaml = kubeconfig(shExec());
    const r = await add({
      Name: 'with-plugin',
      kube_config_data: yaml,
      allow_exec: [await fingerprintOf(yaml)],
    });
    expect(r.Infos[0]).toMatchObject({ Name: 'with-plugin', State: 'running' });
    expect(existsSync(marker)).toBe(true);
    expect(f.api.requests.at(-1)).toMatchObject({ auth: 'token' });
  });

  it('takes consent for exactly one command: other arguments or another env value is another fingerprint', async () => {
    const allowed = await fingerprintOf(kubeconfig(shExec()));
    const variants = [
      shExec({ args: ['-c', `${script}; true`] }),
      shExec({ env: [{ name: 'AWS_PROFILE', value: 'prod' }] }),
      shExec({ apiVersion: 'client.authentication.k8s.io/v1beta1' }),
    ];
    const withProd = await fingerprintOf(kubeconfig(variants[1]!));
    const withDev = await fingerprintOf(
      kubeconfig(shExec({ env: [{ name: 'AWS_PROFILE', value: 'dev' }] })),
    );
    expect(withProd).not.toBe(withDev);
    for (const exec of variants) {
      await expect(
        add({ Name: 'x', kube_config_data: kubeconfig(exec), allow_exec: [allowed] }),
      ).rejects.toMatchObject({ field: 'users["someone"].user.exec' });
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a fingerprint that is not one', async () => {
    await expect(
      add({ Name: 'x', kube_config_data: kubeconfig(shExec()), allow_exec: ['sh'] }),
    ).rejects.toMatchObject({ code: 'invalid_field', field: 'allow_exec[0]' });
  });
});

describe('kubeconfig inspect of an exec plugin', () => {
  const exec = () =>
    shExec({
      args: ['-c', script, '--oidc-client-secret=s3cr3t-value'],
      env: [
        { name: 'AWS_PROFILE', value: 'prod' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalr-secret' },
      ],
    });

  it('shows the command, where it is, its arguments and env, and warns in English and Chinese, without running it', async () => {
    const r = await inspect({ kube_config_data: kubeconfig(exec()) });
    const view = r.contexts[0]!.exec!;
    const line = `AWS_PROFILE=prod AWS_SECRET_ACCESS_KEY=(hidden) sh -c '${script}' --oidc-client-secret=(hidden)`;
    expect(view).toEqual({
      command: 'sh',
      path: expect.stringMatching(/^\/(usr\/)?bin\/sh$/),
      args: ['-c', script, '--oidc-client-secret=(hidden)'],
      env: [
        { name: 'AWS_PROFILE', value: 'prod' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: null },
      ],
      command_line: line,
      fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/),
    });
    expect(r.contexts[0]).toMatchObject({ auth: 'exec', valid: true });
    expect(r.warnings).toContainEqual({
      message: `context "someone@lab" gets its credentials by running a program on this machine: ${line} (${view.fingerprint}). It runs only if you allow exactly this command (allow_exec)`,
      message_cn: `上下文 “someone@lab” 通过在本机运行程序获取凭据：${line}（${view.fingerprint}）。只有明确允许该命令（allow_exec）后才会运行`,
    });
    expect(JSON.stringify(r)).not.toMatch(/wJalr-secret|s3cr3t-value/);
    expect(existsSync(marker)).toBe(false);
  });

  it('probes an exec context only when its plugin is allowed', async () => {
    const yaml = kubeconfig(shExec());
    const refused = await inspect({ kube_config_data: yaml, probe: true });
    expect(refused.contexts[0]!.probe).toMatchObject({
      reachable: false,
      error: {
        field: 'users["someone"].user.exec',
        message: expect.stringContaining('which was not run'),
      },
    });
    expect(existsSync(marker)).toBe(false);
    const fingerprint = refused.contexts[0]!.exec!.fingerprint;
    const probed = await inspect({
      kube_config_data: yaml,
      probe: true,
      allow_exec: [fingerprint],
    });
    expect(probed.contexts[0]!.probe).toMatchObject({ reachable: true, error: null });
    expect(existsSync(marker)).toBe(true);
  });

  it('names malformed args and env, so that nothing but what is shown can run', async () => {
    const r = await inspect({
      kube_config_data: kubeconfig(shExec({ args: ['-c', 7], env: [{ name: 'A' }] })),
    });
    expect(r.contexts[0]!.problems.map((p) => p.field)).toEqual([
      'users["someone"].user.exec.args',
      'users["someone"].user.exec.env',
    ]);
  });
});

describe('exec plugin failures, in both languages', () => {
  async function failure(exec: Exec): Promise<{ message: string; messageCn: string }> {
    const yaml = kubeconfig(exec);
    return add({ Name: 'x', kube_config_data: yaml, allow_exec: [await fingerprintOf(yaml)] }).then(
      () => {
        throw new Error('imported');
      },
      (e: { message: string; messageCn: string }) => e,
    );
  }

  it('says a plugin that cannot be started, exits silently, or prints something else', async () => {
    const broken = join(dir, 'broken-plugin');
    writeFileSync(broken, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const field = 'users["someone"].user.exec';
    expect(await failure(shExec({ command: broken, args: [] }))).toMatchObject({
      message: `${field}: the credential plugin "${broken}" failed: could not be started (ENOENT)`,
      messageCn: `${field}：凭据插件 “${broken}” 执行失败：无法启动（ENOENT）`,
    });
    expect(await failure(shExec({ args: ['-c', 'exit 3'] }))).toMatchObject({
      message: `${field}: the credential plugin "sh" failed: exited with status 3 and printed no error`,
      messageCn: `${field}：凭据插件 “sh” 执行失败：退出状态 3，且没有输出错误信息`,
    });
    expect(await failure(shExec({ args: ['-c', 'echo {}'] }))).toMatchObject({
      message: `${field}: the credential plugin "sh" failed: its output is not ExecCredential JSON`,
      messageCn: `${field}：凭据插件 “sh” 执行失败：其输出不是 ExecCredential JSON`,
    });
  });
});

describe('topke import --allow-exec', () => {
  async function topke(...args: string[]) {
    let printed = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const status = await main([...args, '--data-dir', join(dir, 'cli-data')]);
      return {
        status,
        out: JSON.parse(printed) as { error?: { field?: string }; message: string },
      };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('refuses the plugin without the flag, and runs exactly the one it names', async () => {
    const file = join(dir, 'exec.kubeconfig');
    const yaml = kubeconfig(shExec());
    writeFileSync(file, yaml);
    const refused = await topke('import', file, '--name', 'cli-exec');
    expect(refused.status).toBe(1);
    expect(refused.out.error?.field).toBe('users["someone"].user.exec');
    expect(existsSync(marker)).toBe(false);
    const fingerprint = await fingerprintOf(yaml);
    expect(refused.out.message).toContain(`--allow-exec ${fingerprint}`);
    const imported = await topke('import', file, '--name', 'cli-exec', '--allow-exec', fingerprint);
    expect(imported.status).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });
});
