import { describe, expect, it } from 'vitest';
import type { TopkeError } from '../../main/contract/errors.js';
import { OPERATIONS } from '../../main/contract/operations.js';
import { validate } from '../../main/contract/validate.js';
import {
  MAX_SCAN_ADDRESSES,
  parseScanTargets,
  type ScanTargetsInput,
} from '../../main/scan/range.js';
import { thrown } from '../support/errors.js';

const failure = (input: ScanTargetsInput): TopkeError =>
  thrown(() => parseScanTargets(input), `the targets ${JSON.stringify(input)}`);

describe('scan targets', () => {
  it('takes begin..end inclusively across octet boundaries', () => {
    const list = parseScanTargets({ begin: '10.0.0.254', end: '10.0.1.2' });
    expect(list).toEqual(['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1', '10.0.1.2']);
  });

  it('takes a single address as begin = end', () => {
    expect(parseScanTargets({ begin: '192.168.1.7', end: '192.168.1.7' })).toEqual(['192.168.1.7']);
  });

  it('drops network and broadcast only for a CIDR, and never for /31 or /32', () => {
    const c24 = parseScanTargets({ cidr: '10.1.2.0/24' });
    expect(c24).toHaveLength(254);
    expect(c24[0]).toBe('10.1.2.1');
    expect(c24.at(-1)).toBe('10.1.2.254');
    expect(parseScanTargets({ cidr: '10.1.2.4/31' })).toEqual(['10.1.2.4', '10.1.2.5']);
    expect(parseScanTargets({ cidr: '10.1.2.9/32' })).toEqual(['10.1.2.9']);
    expect(parseScanTargets({ cidr: '10.1.2.77/30' })).toEqual(['10.1.2.77', '10.1.2.78']);
    // begin..end covering .0 and .255 keeps them: only a CIDR implies a network.
    expect(parseScanTargets({ begin: '10.1.2.255', end: '10.1.3.0' })).toEqual([
      '10.1.2.255',
      '10.1.3.0',
    ]);
  });

  it('merges a list of addresses, CIDRs and ranges without duplicates, minus exclusions', () => {
    const list = parseScanTargets({
      targets: ['10.0.0.5', '10.0.0.4-6', '10.0.0.8/30', '10.0.0.10-10.0.0.11'],
      exclude: ['10.0.0.5', '10.0.0.10/32'],
    });
    expect(list).toEqual(['10.0.0.4', '10.0.0.6', '10.0.0.9', '10.0.0.11']);
  });

  it('combines begin..end with a CIDR and targets', () => {
    const list = parseScanTargets({
      begin: '10.0.0.1',
      end: '10.0.0.2',
      cidr: '10.0.0.4/31',
      targets: ['10.0.0.2', '10.0.0.9'],
    });
    expect(list).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.4', '10.0.0.5', '10.0.0.9']);
  });

  it('accepts up to the limit and refuses one more, naming the field and the count', () => {
    expect(parseScanTargets({ cidr: '10.0.0.0/16' })).toHaveLength(65534);
    expect(parseScanTargets({ begin: '10.0.0.0', end: '10.0.255.255' })).toHaveLength(
      MAX_SCAN_ADDRESSES,
    );
    const e = failure({ begin: '10.0.0.0', end: '10.1.0.0' });
    expect(e.field).toBe('end');
    expect(e.message).toContain('65537 addresses');
    expect(e.messageCn).toContain('65537 个地址');
    const big = failure({ cidr: '10.0.0.0/8' });
    expect(big.field).toBe('cidr');
    expect(big.message).toContain('10.0.0.0/8');
    // 32766 + 32766 + 6 addresses: the third entry goes over.
    const sum = failure({ targets: ['10.0.0.0/17', '10.1.0.0/17', '10.2.0.0/29'] });
    expect(sum.field).toBe('targets[2]');
    expect(sum.message).toContain('more than 65536');
  });

  it('names the field and value of every malformed address', () => {
    const bad: [ScanTargetsInput, string, string][] = [
      [{ begin: '10.0.0.256', end: '10.0.0.9' }, 'begin', '256 is larger than 255'],
      [{ begin: '10.0.0.1', end: '10.0.0' }, 'end', 'four numbers'],
      [{ begin: '10.0.x.1', end: '10.0.0.9' }, 'begin', '"x" is not a number'],
      [{ begin: '10.0.01.1', end: '10.0.0.9' }, 'begin', 'leading zero'],
      [{ begin: '10.0.0.9', end: '10.0.0.1' }, 'end', 'before it begins at 10.0.0.9'],
      [{ begin: '10.0.0.1' }, 'end', 'required together with begin'],
      [{ end: '10.0.0.1' }, 'begin', 'required together with end'],
      [{ begin: 'fd00::1', end: 'fd00::9' }, 'begin', 'only IPv4 is supported'],
      [{ begin: '10.0.0.1', end: 'fd00::9' }, 'end', 'mix IPv4 and IPv6'],
      [{ cidr: 'fd00::/64' }, 'cidr', 'only IPv4 is supported'],
      [{ cidr: '10.0.0.0/33' }, 'cidr', 'prefix length'],
      [{ cidr: '10.0.0.0' }, 'cidr', 'prefix length'],
      [{ targets: ['10.0.0.1', '10.0.0.300'] }, 'targets[1]', '300 is larger than 255'],
      [{ targets: ['10.0.0.9-3'] }, 'targets[0]', 'before it begins'],
      [{ targets: ['10.0.0.1-2-3'] }, 'targets[0]', 'FIRST-LAST'],
      [{ targets: [''] }, 'targets[0]', 'must not be empty'],
      [{ targets: ['10.0.0.1'], exclude: ['nope'] }, 'exclude[0]', 'four numbers'],
      [{}, 'begin', 'give begin and end, a cidr, or a list of targets'],
      [{ begin: '', end: '' }, 'begin', 'give begin and end'],
      [{ targets: ['10.0.0.1'], exclude: ['10.0.0.0/24'] }, 'exclude', 'leaves no address'],
    ];
    for (const [input, field, words] of bad) {
      const e = failure(input);
      expect(e.code, JSON.stringify(input)).toBe('invalid_field');
      expect(e.field, JSON.stringify(input)).toBe(field);
      expect(e.message, JSON.stringify(input)).toContain(words);
      expect(e.messageCn, JSON.stringify(input)).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(failure({ begin: '10.0.0.256', end: '10.0.0.9' }).message).toContain('10.0.0.256');
  });

  it('names a full-width digit or dot, as a Chinese input method types them', () => {
    const digit = failure({ targets: ['198.18.60.1１'] });
    expect(digit.message).toBe(
      'targets[0]: "198.18.60.1１" is not an IPv4 address: "１" is a full-width character; ' +
        'type the address with the input method in half-width (ASCII) mode',
    );
    expect(digit.messageCn).toContain('“１” 是全角字符；请将输入法切换到半角');
    expect(failure({ begin: '198.18.60.1', end: '198.18.60.9。' }).message).toContain(
      '"。" is a full-width character',
    );
    expect(failure({ cidr: '198．18.60.0/24' }).field).toBe('cidr');
  });

  it('refuses addresses no host can have: this network, loopback, multicast, reserved', () => {
    const bad: [ScanTargetsInput, string, string, string][] = [
      [{ targets: ['0.0.0.0'] }, 'targets[0]', '"this network" (0.0.0.0/8)', '“本网络”地址段'],
      [{ targets: ['10.0.0.1', '127.0.0.1'] }, 'targets[1]', 'loopback (127.0.0.0/8)', '环回'],
      [{ cidr: '224.0.0.0/28' }, 'cidr', 'multicast (224.0.0.0/4)', '组播'],
      [{ begin: '239.255.255.250', end: '240.0.0.2' }, 'end', 'multicast', '组播'],
      [{ targets: ['255.255.255.255'] }, 'targets[0]', 'reserved (240.0.0.0/4', '保留'],
      [{ targets: ['126.255.255.254-127.0.0.1'] }, 'targets[0]', 'loopback', '环回'],
    ];
    for (const [input, field, words, wordsCn] of bad) {
      const e = failure(input);
      expect({ code: e.code, field: e.field }, JSON.stringify(input)).toEqual({
        code: 'invalid_field',
        field,
      });
      expect(e.message, JSON.stringify(input)).toContain(`reaches into ${words}`);
      expect(e.messageCn, JSON.stringify(input)).toContain(wordsCn);
    }
    expect(failure({ targets: ['127.0.0.1'] }).message).toBe(
      'targets[0]: "127.0.0.1" reaches into loopback (127.0.0.0/8), always this machine, where no host can be: leave those addresses out',
    );
    expect(
      parseScanTargets({ targets: ['126.255.255.254-126.255.255.255', '223.255.255.255'] }),
    ).toHaveLength(3);
    expect(parseScanTargets({ cidr: '100.64.0.0/30' })).toEqual(['100.64.0.1', '100.64.0.2']);
  });

  it('reads list fields from a query string as comma-separated values', () => {
    const req = validate(OPERATIONS.hostScan.request, {
      targets: '10.0.0.1, 10.0.0.3-4',
      exclude: '10.0.0.4',
      ssh_ports: '22,2222',
      timeout_ms: '500',
    });
    expect(req.targets).toEqual(['10.0.0.1', '10.0.0.3-4']);
    expect(req.ssh_ports).toEqual([22, 2222]);
    expect(req.timeout_ms).toBe(500);
    expect(parseScanTargets(req)).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(() => validate(OPERATIONS.hostScan.request, { ssh_ports: '22,99999' })).toThrow(
      /ssh_ports/,
    );
  });
});
