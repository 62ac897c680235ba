#!/usr/bin/env node
// The test command: checks the machine, lints, type-checks, builds, then runs the suites inside a
// fresh operator network namespace with no route out (LAB.md). `--bench` runs the benchmarks instead.
// Extra arguments are passed to vitest (e.g. a file filter).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const bench = args.includes('--bench');
const quick = args.includes('--quick') || process.env.TOPKE_TEST_QUICK === '1';
const passThrough = args.filter((a) => a !== '--bench' && a !== '--quick');

const SYSTEM_PACKAGES = {
  '/usr/sbin/sshd': 'openssh-server',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/sbin/ip': 'iproute2',
  '/usr/bin/ping': 'iputils-ping',
  '/usr/bin/sudo': 'sudo',
  '/usr/bin/chromium': 'chromium',
  '/usr/bin/nmap': 'nmap',
  '/usr/bin/puttygen': 'putty-tools',
  '/usr/bin/openssl': 'openssl',
  '/usr/bin/nsenter': 'util-linux',
};

function sh(cmd, cmdArgs, opts = {}) {
  const res = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...opts });
  if (res.status !== 0) {
    console.error(`\n${cmd} ${cmdArgs.join(' ')} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status || 1);
  }
}

function ensureRoot() {
  if (process.getuid?.() !== 0) {
    console.error('The tests make network namespaces and sshd hosts (LAB.md): run them as root.');
    process.exit(2);
  }
}

function ensureSystemPackages() {
  const missing = [
    ...new Set(
      Object.entries(SYSTEM_PACKAGES)
        .filter(([f]) => !existsSync(f))
        .map(([, p]) => p),
    ),
  ];
  if (missing.length === 0) return;
  console.error(`installing system packages: ${missing.join(' ')}`);
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ip(...a) {
  execFileSync('ip', a, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The bridge namespace and the operator namespace of this run. */
function makeOperatorNetwork(runId) {
  const bridge = `tk-${runId}-br`;
  const op = `tk-${runId}-op`;
  ip('netns', 'add', bridge);
  ip('netns', 'exec', bridge, 'ip', 'link', 'set', 'lo', 'up');
  ip('netns', 'exec', bridge, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
  ip('netns', 'exec', bridge, 'ip', 'link', 'set', 'br0', 'up');
  ip('netns', 'add', op);
  ip(
    'link',
    'add',
    `v${runId}op`,
    'netns',
    bridge,
    'type',
    'veth',
    'peer',
    'name',
    'eth0',
    'netns',
    op,
  );
  ip('netns', 'exec', bridge, 'ip', 'link', 'set', `v${runId}op`, 'master', 'br0');
  ip('netns', 'exec', bridge, 'ip', 'link', 'set', `v${runId}op`, 'up');
  ip('netns', 'exec', op, 'ip', 'addr', 'add', '198.18.0.2/15', 'dev', 'eth0');
  ip('netns', 'exec', op, 'ip', 'link', 'set', 'eth0', 'up');
  ip('netns', 'exec', op, 'ip', 'link', 'set', 'lo', 'up');
  return { bridge, op };
}

function teardown(runId) {
  // `ip netns list` complains on stderr about namespaces other runs delete meanwhile: not ours.
  const names = execFileSync('ip', ['netns', 'list'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n && n.startsWith(`tk-${runId}-`));
  for (const ns of names) {
    const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    try {
      ip('netns', 'del', ns);
    } catch {
      /* gone */
    }
  }
  rmSync(`/srv/topke-lab/${runId}`, { recursive: true, force: true });
}

ensureRoot();
ensureSystemPackages();
if (!quick && !bench) {
  sh('npm', ['run', 'lint']);
  sh('npm', ['run', 'typecheck']);
}
if (!quick) sh('npm', ['run', 'build']);

const runId = randomBytes(2).toString('hex');
const summaryFile = join(tmpdir(), `topke-test-summary-${runId}.json`);

/** One plain closing line, 'N passed, N failed', read from vitest's JSON report. */
function printSummary() {
  try {
    const report = JSON.parse(readFileSync(summaryFile, 'utf8'));
    const skipped = report.numPendingTests + report.numTodoTests;
    const tail = skipped ? `, ${skipped} skipped` : '';
    console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${tail}`);
  } catch {
    console.log('tests: no report was written');
  } finally {
    rmSync(summaryFile, { force: true });
  }
}
const { bridge, op } = makeOperatorNetwork(runId);
let status;
const stop = () => {
  teardown(runId);
  process.exit(130);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
try {
  const env = {
    ...process.env,
    TOPKE_LAB_BRIDGE_NS: bridge,
    TOPKE_LAB_RUN_ID: runId,
    TOPKE_LAB_OP_NS: op,
  };
  const runner = bench
    ? [
        process.execPath,
        join(root, 'node_modules/.bin/tsx'),
        join(root, 'test/bench/index.ts'),
        ...passThrough,
      ]
    : [
        process.execPath,
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${summaryFile}`,
        ...passThrough,
      ];
  const res = spawnSync('ip', ['netns', 'exec', op, ...runner], {
    stdio: 'inherit',
    cwd: root,
    env,
  });
  status = res.status ?? 1;
  if (!bench) printSummary();
} finally {
  teardown(runId);
}
process.exit(status);
