/**
 * How the deploy page follows a running step's output from progress events: lines appended in
 * order and bounded, the stored output shown instead when the events do not hold the whole step
 * (the page came in mid-step, or lines were left out of an event).
 */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../main/contract/operations.js';
import type { DeployStatusResult, StepView } from '../../main/contract/results.js';
import { runningSteps, shownLines } from '../../renderer/src/components/deploy/deploy-view.js';
import {
  followOutput,
  SHOWN_LINES,
  type LiveOutputs,
} from '../../renderer/src/stores/live-output.js';

const HOST = '198.18.0.11';
const base = { uuid: 'c1', deploy_id: 'd1', stage: 1, host: HOST, step: 'kubeadm init' };
const began: ProgressEvent = { kind: 'deploy', ...base, state: 'running' };
const out = (first_line: number, lines: string[]): ProgressEvent => ({
  kind: 'step_output',
  ...base,
  first_line,
  lines,
});

function running(output: string): StepView {
  return {
    stage: 1,
    host: HOST,
    step: 'kubeadm init',
    step_cn: '初始化控制平面（kubeadm init）',
    state: 'running',
    start_time: 1,
    end_time: 0,
    output,
    error: null,
    error_cn: null,
  };
}

const follow = (events: ProgressEvent[], from: LiveOutputs = {}) =>
  events.reduce(followOutput, from);

describe('a running step followed from its events', () => {
  it('shows the lines of a step followed from its start, in order', () => {
    const live = follow([began, out(0, ['$ kubeadm init', 'one']), out(2, ['two'])]);
    expect(shownLines(running('$ kubeadm init'), live[HOST])).toEqual([
      '$ kubeadm init',
      'one',
      'two',
    ]);
  });

  it('keeps the last lines only', () => {
    const many = Array.from({ length: SHOWN_LINES + 50 }, (_, i) => `line ${i}`);
    const live = follow([began, out(0, many.slice(0, 100)), out(100, many.slice(100))]);
    expect(live[HOST]!.lines).toEqual(many.slice(-SHOWN_LINES));
  });

  it('shows the stored output when the page came in mid-step, or lines were left out', () => {
    const stored = running('$ kubeadm init\none\ntwo');
    expect(shownLines(stored, follow([out(2, ['two'])])[HOST])).toEqual([
      '$ kubeadm init',
      'one',
      'two',
    ]);
    const gap = follow([began, out(0, ['$ kubeadm init']), out(5, ['six'])]);
    expect(gap[HOST]!.whole).toBe(false);
    expect(shownLines(stored, gap[HOST])).toEqual(['$ kubeadm init', 'one', 'two']);
  });

  it('starts again with the next step, and lists only steps still running', () => {
    const live = follow([
      began,
      out(0, ['old']),
      { kind: 'deploy', ...base, step: 'network plugin', state: 'running' },
    ]);
    expect(live[HOST]).toMatchObject({ step: 'network plugin', lines: [], whole: true });
    const status = { is_over: false, steps: [running('stored')] } as DeployStatusResult;
    expect(runningSteps(status, live)).toEqual([
      { step: status.steps[0], lines: ['stored'], live: false },
    ]);
    expect(runningSteps({ ...status, is_over: true }, live)).toEqual([]);
  });
});
