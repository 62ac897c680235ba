// The command line names what the engineer typed as its usage names it: a missing or bad
// positional argument is `UUID` or `BEGIN` in the envelope's field and in both messages, never the
// request field it fills (`uuid`, `begin`, `targets`), which a command-line user never typed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli/topke.js';

interface Printed {
  scode: number;
  message: string;
  message_cn: string;
  error?: { code: string; field?: string };
}

let dir: string;

/** Runs the command line in this process: its exit status, envelope and stderr. */
async function topke(...args: string[]): Promise<{ status: number; out: Printed; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const status = await main([...args, '--data-dir', join(dir, 'data')]);
    return { status, out: (out ? JSON.parse(out) : {}) as Printed, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** The usage's first line for each command and the positional arguments it names there. */
async function usageArguments(): Promise<[string, string[]][]> {
  const help = (await topke('--help')).err;
  const commands = new Map<string, string[]>();
  for (const line of help.split('\n')) {
    // A command may have subcommands (registry add, node add), an argument a list (IP[,IP...]).
    const match =
      /^ {2}([a-z-]+(?: [a-z]+)*)((?: [A-Z][A-Z0-9_]*(?:\.json|\[,[A-Z]+\.\.\.\])?)*)(?: |$)/.exec(
        line,
      );
    if (match && !commands.has(match[1]!))
      commands.set(
        match[1]!,
        match[2]!
          .split(' ')
          .filter(Boolean)
          .map((n) => n.replace(/\[.*$/, '')),
      );
  }
  return [...commands];
}

/** A value each argument takes, to reach the one after it. */
const VALID: Record<string, string> = {
  BEGIN: '198.18.0.1',
  END: '198.18.0.2',
  VIP: '198.18.0.9',
  PORT: '8443',
  REGISTRY_UUID: '7d0c2a4e-5b6f-4c1d-9e8f-0a1b2c3d4e5f',
  CLUSTER_UUID: '8e1d3b5f-6c7a-4d2e-8f90-1b2c3d4e5f60',
  UUID: '3f1b3c2e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  IP: '198.18.0.21',
};

/** A value each argument refuses; "nope" is a valid registry host name. */
const BAD: Record<string, string> = { ADDRESS: 'not an address' };

function expectNamed(printed: Printed, name: string): void {
  expect(printed.error?.field).toBe(name);
  expect(printed.message.startsWith(`${name}: `), printed.message).toBe(true);
  expect(printed.message_cn.startsWith(`${name}：`), printed.message_cn).toBe(true);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'topke-cli-names-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every command of the usage', () => {
  it('is found in the usage with its arguments', async () => {
    expect(await usageArguments()).toEqual([
      ['serve', []],
      ['scan', ['BEGIN', 'END']],
      ['vip-test', ['VIP', 'PORT']],
      ['deploy', ['PLAN.json']],
      ['node add', ['UUID', 'IP']],
      ['status', ['UUID']],
      ['deploys', ['UUID']],
      ['list', []],
      ['get', ['UUID']],
      ['import', ['FILE']],
      ['delete', ['UUID']],
      ['registry add', ['ADDRESS']],
      ['registry list', []],
      ['registry update', ['UUID']],
      ['registry delete', ['UUID']],
      ['registry distribute', ['REGISTRY_UUID', 'CLUSTER_UUID']],
    ]);
  });

  it('names a missing argument as the usage does', async () => {
    for (const [cmd, names] of await usageArguments())
      for (const [i, name] of names.entries()) {
        const given = names.slice(0, i).map((n) => VALID[n]!);
        const run = await topke(...cmd.split(' '), ...given);
        expect(run.status, `${cmd} ${given.join(' ')}`).toBe(1);
        expectNamed(run.out, name);
      }
  });

  it('names a bad argument as the usage does', async () => {
    for (const [cmd, names] of await usageArguments())
      for (const [i, name] of names.entries()) {
        const given = [...names.slice(0, i).map((n) => VALID[n]!), BAD[name] ?? 'nope'];
        const rest = names.slice(i + 1).map((n) => VALID[n]!);
        const run = await topke(...cmd.split(' '), ...given, ...rest);
        expect(run.status, `${cmd} ${given.join(' ')}`).toBe(1);
        expectNamed(run.out, name);
      }
  });

  it('refuses more arguments than a command takes, rather than drop them', async () => {
    const uuid = '3f1b3c2e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const run = await topke('delete', uuid, 'other');
    expect(run.status).toBe(1);
    expect(run.out).toMatchObject({
      scode: 400,
      error: { code: 'invalid_field', field: '(arguments)' },
      message: '(arguments): topke delete takes UUID only; "other" is more than it takes',
      message_cn: '(arguments)：topke delete 只接受 UUID，多出了 “other”',
    });
    const list = await topke('list', 'all');
    expect(list.out.message).toBe(
      '(arguments): topke list takes no arguments; "all" is more than it takes',
    );
  });
});

describe('the names in the messages', () => {
  it('says UUID for delete and get, with or without one', async () => {
    for (const cmd of ['delete', 'get', 'status', 'deploys']) {
      expect((await topke(cmd)).out.message, cmd).toBe('UUID: is required');
      expect((await topke(cmd, 'nope')).out).toMatchObject({
        message: 'UUID: is not a UUID (got nope)',
        message_cn: expect.stringMatching(/^UUID：不是有效的 UUID/),
      });
    }
  });

  it('says BEGIN for a scan given nothing to scan, and TARGET for a bad target', async () => {
    const none = await topke('scan');
    expect(none.out).toMatchObject({
      error: { field: 'BEGIN' },
      message:
        'BEGIN: is required: give BEGIN END, or one or more TARGETs (addresses, CIDRs, FIRST-LAST ranges)',
    });
    expect(none.err).not.toContain('scan [');
    const cidr = await topke('scan', '198.18.0.0/33');
    expectNamed(cidr.out, 'TARGET');
    expect(cidr.out.message).toContain('"198.18.0.0/33" is not an IPv4 CIDR');
    const list = await topke('scan', '198.18.0.1,198.18.0.x');
    expectNamed(list.out, 'TARGET');
  });

  it('names the options that fill a request field by the option', async () => {
    const uuid = '3f1b3c2e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const cases: [string[], string][] = [
      [['scan', '198.18.0.0/30', '--exclude', 'x'], '--exclude'],
      [['scan', '198.18.0.0/30', '--ssh-ports', '0'], '--ssh-ports'],
      [['scan', '198.18.0.0/30', '--user', 'a b'], '--user'],
      [['status', uuid, '--deploy', 'x'], '--deploy'],
      [['list', '--tenant', 'x'], '--tenant'],
      [['registry', 'add', 'reg.lab:5443', '--ca', join(dir, 'missing.crt')], '--ca'],
      [['registry', 'add', 'reg.lab:5443', '--user', 'u'.repeat(256)], '--user'],
      [['registry', 'add', 'reg.lab:5443', '--project', 'p'.repeat(256)], '--project'],
      [['node', 'add', uuid, '198.18.0.21,198.18.0.22', '--name', 'w-21'], '--name'],
      [['node', 'add', uuid, '198.18.0.21', '--name', 'Not A Name'], '--name'],
      [['node', 'add', uuid, '198.18.0.21', '--user', 'a b'], '--user'],
    ];
    for (const [args, name] of cases) expectNamed((await topke(...args)).out, name);
  });

  it('says why a file it was given cannot be read', async () => {
    const missing = join(dir, 'planC.json');
    expect((await topke('deploy', missing)).out).toMatchObject({
      error: { field: 'PLAN.json' },
      message: `PLAN.json: cannot read file ${missing}: it does not exist`,
      message_cn: `PLAN.json：无法读取文件 ${missing}：文件不存在`,
    });
    expect((await topke('import', dir, '--name', 'x')).out.message).toBe(
      `FILE: cannot read file ${dir}: it is a folder, not a file`,
    );
    const key = await topke('scan', '198.18.0.0/30', '--key', join(dir, 'id_none'));
    expect(key.out.message).toBe(
      `--key: cannot read file ${join(dir, 'id_none')}: it does not exist`,
    );
  });

  it('leaves the names of a file the command read as the file has them', async () => {
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ name: 'c1', master_list: [{ IP: 'x' }] }));
    const run = await topke('deploy', plan);
    expect(run.out.error?.field).toBe('master_list[0].IP');
  });
});
