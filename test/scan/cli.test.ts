import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/contract/envelope.js';
import type { HostScanResult } from '../../main/contract/results.js';
import { createLab, type Lab } from '../lab/lab.js';
import { processesWithEnv, requireBuiltCli, runTopke, type CliRun } from '../support/cli.js';

const PW = 'cli pw';

const topke = (args: string[]): Promise<CliRun> => runTopke(args);

/** Stderr shows the scan under way: the first progress bar. */
const UNDER_WAY = /scan \[/;

describe('topke scan', () => {
  let lab: Lab;
  let dataDir: string;

  beforeAll(() => {
    requireBuiltCli();
    lab = createLab(37, [
      { octet: 10, hostname: 'cli-a', rootPassword: PW },
      { octet: 11, service: 'none' },
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'topke-scan-cli-'));
  });

  afterAll(() => {
    lab?.teardown();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('scans BEGIN END with a login: the envelope on stdout, a progress bar on stderr', async () => {
    const run = await topke([
      'scan',
      '198.18.37.10',
      '198.18.37.12',
      '--user',
      'root',
      '--password',
      PW,
      '--data-dir',
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const envelope = JSON.parse(run.stdout) as Envelope<HostScanResult>;
    expect(envelope.scode).toBe(0);
    expect(envelope.data!.hosts_info.map((h) => [h.ip, h.host_name, h.ssh.state])).toEqual([
      ['198.18.37.10', 'cli-a', 'open'],
      ['198.18.37.11', '', 'refused'],
    ]);
    expect(envelope.data).toMatchObject({ total_count: 2, scanned: 3, state: 'done' });
    expect(run.stderr).toMatch(/scan \[[^\]]*\] 3\/3 addresses, 2 found\n/);
    expect(run.stderr).toContain('scan done: 3 of 3 addresses checked, 2 hosts found');
    // The time left appears only as a duration, never as cli-progress's NULL or INF placeholders.
    for (const line of run.stderr.split('\n').filter((l) => l.includes(' left')))
      expect(line).toMatch(/, \d+[smh]( \d+[sm])? left$/);
    expect(run.stderr).not.toMatch(/NULL|INF|LLs/);
    expect(run.stderr).not.toContain(PW);
  });

  it('takes the SSH password from TOPKE_SSH_PASSWORD, and its help says to', async () => {
    const run = await runTopke(
      ['scan', '198.18.37.10', '198.18.37.10', '--user', 'root', '--data-dir', dataDir],
      undefined,
      { TOPKE_SSH_PASSWORD: PW },
    );
    expect(run.code, run.stderr).toBe(0);
    const data = (JSON.parse(run.stdout) as Envelope<HostScanResult>).data!;
    expect(data.hosts_info.map((h) => [h.ip, h.host_name, h.login?.ok])).toEqual([
      ['198.18.37.10', 'cli-a', true],
    ]);
    const help = await runTopke(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toContain('the SSH password from TOPKE_SSH_PASSWORD: --password P');
    expect(help.stderr).toContain('sees it in the process list (ps)');
  });

  it('takes a CIDR with exclusions', async () => {
    const run = await topke([
      'scan',
      '198.18.37.8/29',
      '--exclude',
      '198.18.37.11,198.18.37.12-14',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const data = (JSON.parse(run.stdout) as Envelope<HostScanResult>).data!;
    expect(data.addresses).toBe(2);
    expect(data.hosts_info.map((h) => h.ip)).toEqual(['198.18.37.10']);
  });

  it('exits non-zero with the argument named as the usage names it for a bad range', async () => {
    const run = await topke(['scan', '198.18.37.300', '198.18.37.1', '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    const envelope = JSON.parse(run.stdout) as Envelope<HostScanResult>;
    expect(envelope).toMatchObject({
      scode: 400,
      error: { code: 'invalid_field', field: 'BEGIN' },
    });
    expect(envelope.message).toMatch(/^BEGIN: .*300 is larger than 255/);
    expect(envelope.message_cn).toContain('大于 255');
  });

  /** The one line that says the scan stopped and how far it got, as the envelope reports it. */
  function cancelledLines(run: CliRun): string[] {
    const data = (JSON.parse(run.stdout) as Envelope<HostScanResult>).data!;
    expect(data.state).toBe('cancelled');
    expect(data.scanned).toBeLessThan(data.addresses);
    const found = `${data.total_count} ${data.total_count === 1 ? 'host' : 'hosts'} found`;
    const line = `scan cancelled: ${data.scanned} of ${data.addresses} addresses checked, ${found}`;
    return run.stderr.split('\n').filter((l) => l === line || /cancel|stopp/i.test(l));
  }

  it('cancels on Ctrl-C, says so in one line and prints what it found so far', async () => {
    const tag = `scan-cancel-${process.pid}`;
    const run = await runTopke(['scan', '198.19.0.0/22', '--data-dir', dataDir], UNDER_WAY, {
      TOPKE_TEST_RUN: tag,
    });
    expect(run.code).toBe(1);
    expect(cancelledLines(run)).toEqual([
      expect.stringMatching(/^scan cancelled: \d+ of 1022 addresses checked, 0 hosts found$/),
    ]);
    // Nothing it started (the ping helpers, the pings they ran) outlives it.
    expect(processesWithEnv('TOPKE_TEST_RUN', tag)).toEqual([]);
  });

  it('cancels on Ctrl-C while it logs in to a host, and leaves no process behind', async () => {
    // The wrong password keeps the login to .10 waiting on the host's PAM delay when .11's
    // refused port (found at once) draws the first progress bar, and Ctrl-C comes.
    const tag = `scan-login-${process.pid}`;
    const args = ['scan', '198.18.37.8/29', '--user', 'root', '--data-dir', dataDir];
    const run = await runTopke(args, UNDER_WAY, {
      TOPKE_SSH_PASSWORD: 'wrong',
      TOPKE_TEST_RUN: tag,
    });
    expect(run.code).toBe(1);
    expect(cancelledLines(run)).toEqual([
      expect.stringMatching(/^scan cancelled: \d+ of 6 addresses checked, [01] hosts? found$/),
    ]);
    expect(processesWithEnv('TOPKE_TEST_RUN', tag)).toEqual([]);
  });
});
