import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createLab, type Lab } from './lab.js';

describe('lab', () => {
  let lab: Lab;
  beforeAll(() => {
    lab = createLab(1, [
      {
        octet: 11,
        hostname: 'lab-a',
        rootPassword: 'pw-a',
        files: { '/var/lib/topke-standin/uname': 'kernel-release=4.18.0-lab\nmachine=aarch64\n' },
      },
      { octet: 12, hostname: 'lab-b', service: 'none' },
    ]);
  });
  afterAll(() => lab?.teardown());

  it('gives each host its own hostname and private /usr', () => {
    const a = lab.host(11);
    expect(a.exec('hostname').trim()).toBe('lab-a');
    a.exec('echo hi > /usr/local/bin/topke-probe');
    expect(a.readFile('/usr/local/bin/topke-probe').trim()).toBe('hi');
    expect(() => execFileSync('cat', ['/usr/local/bin/topke-probe'], { stdio: 'pipe' })).toThrow();
  });

  it('gives each host the node stand-ins, wherever the checkout lives', () => {
    const a = lab.host(11);
    expect(
      a
        .exec('for c in systemctl lsmod sysctl modprobe uname; do command -v $c; done')
        .split('\n')
        .filter(Boolean),
    ).toEqual([
      '/usr/local/sbin/systemctl',
      '/usr/local/sbin/lsmod',
      '/usr/local/sbin/sysctl',
      '/usr/local/sbin/modprobe',
      '/usr/local/sbin/uname',
    ]);
  });

  it('answers uname with the kernel and machine a host is given, the rest as the machine', () => {
    const kernelName = execFileSync('/bin/uname', ['-s'], { encoding: 'utf8' }).trim();
    expect(lab.host(11).exec('/usr/local/sbin/uname -s -r -m').trim()).toBe(
      `${kernelName} 4.18.0-lab aarch64`,
    );
    expect(lab.host(11).exec('/usr/local/sbin/uname -mr').trim()).toBe('4.18.0-lab aarch64');
  });

  it('answers ping from the operator namespace', () => {
    expect(() =>
      execFileSync('ping', ['-c1', '-W1', lab.address(11)], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('has no route out of the lab', () => {
    const routes = execFileSync('ip', ['route'], { encoding: 'utf8' });
    expect(routes).not.toMatch(/default/);
  });
});

describe('lab subnets', () => {
  it('refuses a subnet another lab of this run holds, and frees it at teardown', () => {
    const first = createLab(96, []);
    try {
      expect(() => createLab(96, [])).toThrow(
        'lab subnet 198.18.96.0/24 is already taken in this run: give each test file its own',
      );
    } finally {
      first.teardown();
    }
    createLab(96, []).teardown();
  });
});
