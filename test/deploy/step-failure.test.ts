import { describe, expect, it } from 'vitest';
import type { DeployHost } from '../../main/deploy/hosts.js';
import { StepFailure } from '../../main/deploy/run.js';

const host: DeployHost = {
  ip: '198.18.70.11',
  nodeName: 'm-11',
  role: 'master',
  position: 0,
  target: { host: '198.18.70.11', port: 22, user: 'root' },
};
const detail = { message: 'it broke', messageCn: '出错了' };

describe('a failed step, as err_info says it', () => {
  it('names the step in both languages, the English once', () => {
    const init = new StepFailure(host, 'kubeadm init', 1, detail);
    expect(init.message).toBe(
      '198.18.70.11 (m-11) step "kubeadm init" failed with exit code 1: it broke',
    );
    // Its Chinese name already ends with the English one in parentheses: not said twice.
    expect(init.messageCn).toBe(
      '198.18.70.11（m-11）的步骤“初始化控制平面（kubeadm init）”失败，退出码 1：出错了',
    );
    const join = new StepFailure(host, 'join cluster', null, detail);
    expect(join.messageCn).toBe('198.18.70.11（m-11）的步骤“加入集群”（join cluster）失败：出错了');
    // A step with no Chinese name (one another version recorded) keeps its English one, once.
    const unnamed = new StepFailure(host, 'resize disk', null, detail);
    expect(unnamed.messageCn).toBe('198.18.70.11（m-11）的步骤“resize disk”失败：出错了');
  });
});
