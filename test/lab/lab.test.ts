import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createLab, type Lab } from './lab.js';

describe('lab', () => {
  let lab: Lab;
  beforeAll(() => {
    lab = createLab(1, [
      { octet: 11, hostname: 'lab-a', rootPassword: 'pw-a' },
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
        .exec('for c in systemctl lsmod sysctl modprobe; do command -v $c; done')
        .split('\n')
        .filter(Boolean),
    ).toEqual([
      '/usr/local/sbin/systemctl',
      '/usr/local/sbin/lsmod',
      '/usr/local/sbin/sysctl',
      '/usr/local/sbin/modprobe',
    ]);
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
