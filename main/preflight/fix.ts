import { asTopkeError } from '../contract/errors.js';
import { modulesScript, swapScript, sysctlScript } from './fix-scripts.js';
import { runPreflight } from './run.js';
import type {
  CheckResult,
  FixAction,
  FixSelection,
  PreflightHost,
  PreflightInput,
} from './types.js';

const MAX_ERROR_CHARS = 2000;

interface FixGroup {
  checks: string[];
  script: string;
  action: string;
  actionCn: string;
}

/** The fixes one host needs, in a safe order: modules before the sysctls that depend on them. */
function fixGroups(rows: CheckResult[]): FixGroup[] {
  const ids = rows.map((r) => r.check);
  const modules = ids.filter((c) => c.startsWith('module.'));
  const sysctls = ids.filter((c) => c.startsWith('sysctl.'));
  const groups: FixGroup[] = [];
  if (modules.length > 0) {
    const names = modules.map((c) => c.slice('module.'.length));
    groups.push({
      checks: modules,
      script: modulesScript(names),
      action: `load ${names.join(', ')} and list them in /etc/modules-load.d`,
      actionCn: `加载 ${names.join('、')} 并写入 /etc/modules-load.d`,
    });
  }
  if (sysctls.length > 0) {
    const keys = sysctls.map((c) => c.slice('sysctl.'.length));
    groups.push({
      checks: sysctls,
      script: sysctlScript(keys),
      action: `set ${keys.map((k) => `${k} = 1`).join(', ')} in /etc/sysctl.d and apply them`,
      actionCn: `在 /etc/sysctl.d 中设置 ${keys.map((k) => `${k} = 1`).join('、')} 并使其生效`,
    });
  }
  if (ids.includes('swap')) {
    groups.push({
      checks: ['swap'],
      script: swapScript(),
      action:
        'turn swap off and comment its lines out of /etc/fstab (backup in /etc/fstab.topke-backup)',
      actionCn: '关闭交换分区并在 /etc/fstab 中注释掉相应行（备份为 /etc/fstab.topke-backup）',
    });
  }
  return groups;
}

async function applyGroup(host: PreflightHost, group: FixGroup): Promise<FixAction[]> {
  let ok = true;
  let error: string | undefined;
  try {
    const result = await host.session.exec('/bin/sh -s', {
      sudo: true,
      stdin: group.script,
      timeoutMs: 60_000,
    });
    ok = result.code === 0;
    if (!ok)
      error =
        (result.stderr || result.stdout).slice(-MAX_ERROR_CHARS).trim() ||
        `exit status ${result.code}`;
  } catch (err) {
    ok = false;
    error = asTopkeError(err).message;
  }
  return group.checks.map((check) => ({
    host: host.ip,
    check,
    action: group.action,
    action_cn: group.actionCn,
    ok,
    ...(error === undefined ? {} : { error }),
  }));
}

async function fixHost(host: PreflightHost, rows: CheckResult[]): Promise<FixAction[]> {
  const actions: FixAction[] = [];
  for (const group of fixGroups(rows)) actions.push(...(await applyGroup(host, group)));
  return actions;
}

function selected(row: CheckResult, selection: FixSelection): boolean {
  if (!row.fixable || row.verdict === 'pass') return false;
  if (selection.hosts && !selection.hosts.includes(row.host)) return false;
  return !selection.checks || selection.checks.includes(row.check);
}

/** The explicit fix action: runs the checks, applies the safe fixes (kernel modules, sysctls,
 * swap) to the selected failing or warning rows, then runs the checks again. Changes nothing
 * else, and nothing on a host with no such row. */
export async function applyPreflightFixes(
  input: PreflightInput,
  selection: FixSelection = {},
): Promise<{ applied: FixAction[]; results: CheckResult[] }> {
  const before = await runPreflight(input);
  const todo = before.filter((row) => selected(row, selection));
  const hosts = input.hosts.filter((h, i) => input.hosts.findIndex((o) => o.ip === h.ip) === i);
  const perHost = await Promise.all(
    hosts.map((h) => {
      const rows = todo.filter((r) => r.host === h.ip);
      return rows.length > 0 ? fixHost(h, rows) : Promise.resolve([]);
    }),
  );
  const results = await runPreflight(input);
  return { applied: perHost.flat(), results };
}
