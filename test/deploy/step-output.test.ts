import { describe, expect, it } from 'vitest';
import { LINE_LIMIT } from '../../main/deploy/output-lines.js';
import { createRedactor } from '../../main/deploy/redact.js';
import { EVENT_MAX_LINES, StepOutput } from '../../main/deploy/step-output.js';

const TOKEN = 'abcdef.0123456789abcdef';
const KEY = 'f'.repeat(64);
const PASSWORD = 'lab-root-Secret-7';
const redact = createRedactor([PASSWORD]);

/** Feeds `text` to a step's output in chunks of `size` characters, as SSH hands them on. */
function streamed(text: string, size: number, output = new StepOutput({ redact })): StepOutput {
  for (let at = 0; at < text.length; at += size) output.write(text.slice(at, at + size), 'stdout');
  output.endCommand();
  return output;
}

describe('a step output kept line by line', () => {
  it('redacts a token or password split between chunks, at every split', () => {
    const printed = `[bootstrap-token] Using token: ${TOKEN}\nlogin ${PASSWORD} ok\n`;
    for (let size = 1; size <= printed.length; size += 1) {
      const output = streamed(printed, size);
      expect(output.text()).toBe('[bootstrap-token] Using token: [token]\nlogin [secret] ok');
      expect(output.take().lines).toEqual([
        '[bootstrap-token] Using token: [token]',
        'login [secret] ok',
      ]);
    }
  });

  it('redacts the certificate key kubeadm prints on the line after its label', () => {
    const output = streamed(`[upload-certs] Using certificate key:\n${KEY}\n`, 7);
    expect(output.take().lines).toEqual(['[upload-certs] Using certificate key:', '[secret]']);
  });

  it('keeps a line without a final newline when the command ends, apart per stream', () => {
    const output = new StepOutput({ redact });
    output.write('out-a', 'stdout');
    output.write('err-a\nerr-', 'stderr');
    output.write('b\n', 'stdout');
    output.write('b', 'stderr');
    expect(output.take().lines).toEqual(['err-a', 'out-ab']);
    output.endCommand();
    output.add('$ next');
    expect(output.take()).toEqual({ first: 2, lines: ['err-b', '$ next'] });
    expect(output.text()).toBe('err-a\nout-ab\nerr-b\n$ next');
  });

  it('cuts an over-long line, and no part of a secret the cut splits is left', () => {
    for (const secret of [` ${TOKEN} `, PASSWORD])
      for (const shift of [0, 5, 11, 300, 511, 600]) {
        const line = `${'x'.repeat(LINE_LIMIT - shift)}${secret}${'y'.repeat(20_000)}`;
        const output = streamed(`${line}\nnext line\n`, 4096);
        const [cut, next] = output.take().lines;
        const marker = ' [... the rest of a line longer than 8192 characters omitted ...]';
        expect(cut!.endsWith(marker)).toBe(true);
        const kept = cut!.slice(0, -marker.length);
        // The secret whole and redacted (its marker perhaps cut), or none of it.
        expect(kept.replace(/\[(token|secret)\]|\[[a-z]*$/, '')).toMatch(/^[xy ]+$/);
        expect(kept.length).toBeLessThanOrEqual(LINE_LIMIT);
        expect(next).toBe('next line');
      }
  });

  it('keeps the start and the end of a long output, and says how much it left out', () => {
    const printed = Array.from({ length: 5000 }, (_, i) => `line ${i} ${TOKEN}`).join('\n');
    const text = streamed(printed, 1000).text();
    expect(text.startsWith('line 0 [token]\nline 1 [token]\n')).toBe(true);
    expect(text.endsWith('\nline 4998 [token]\nline 4999 [token]')).toBe(true);
    expect(text).toMatch(/\[\.\.\. \d+ characters of output omitted \.\.\.\]\n/);
    expect(text.length).toBeLessThan(33_000);
    expect(text).not.toContain('abcdef.');
  });

  it('hands on at most one event of new lines, the latest, counting those left out', () => {
    const output = new StepOutput({ redact });
    output.add('first');
    expect(output.take()).toEqual({ first: 0, lines: ['first'] });
    const burst = Array.from({ length: 500 }, (_, i) => `burst ${i}`);
    streamed(`${burst.join('\n')}\n`, 333, output);
    const fresh = output.take();
    expect(fresh.lines).toEqual(burst.slice(-EVENT_MAX_LINES));
    expect(fresh.first).toBe(1 + 500 - EVENT_MAX_LINES);
    expect(output.take()).toEqual({ first: 501, lines: [] });
  });
});
