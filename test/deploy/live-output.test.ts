import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../main/contract/operations.js';
import type { LabHost } from '../lab/lab.js';
import {
  deployPlan,
  deployRecords,
  lines,
  ROOT_PASSWORD,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from './harness.js';

type StepOutputEvent = Extract<ProgressEvent, { kind: 'step_output' }>;

const STANDIN = '/var/lib/topke-standin';
/** kubeadm init stops after this line until the test releases it (see the stand-in's holdFor). */
const HELD_LINE = '[bootstrap-token] Using token:';
const INIT = '$ /usr/local/bin/kubeadm init --config /etc/topke/kubeadm-init.yaml --upload-certs';
const INSTALL =
  '$ mkdir -p /root/.kube && install -m 0600 /etc/kubernetes/admin.conf /root/.kube/config';

/** Resolves with the first progress event of the deploy that `match` takes; fails when the
 * deploy ends first. */
function eventOf(
  product: Product,
  uuid: string,
  match: (e: ProgressEvent) => boolean,
): Promise<ProgressEvent> {
  return new Promise((resolve, reject) => {
    const stop = product.ctx.events.subscribe((e) => {
      if (!('uuid' in e) || e.uuid !== uuid) return;
      if (match(e)) {
        stop();
        resolve(e);
      } else if (e.kind === 'deploy' && !e.host && ['success', 'failed'].includes(e.state)) {
        void product.services.api.deployStatus({ uuid }).then((s) => {
          if (!s.is_over) return;
          stop();
          reject(new Error(`the deploy ended first: ${s.err_info}`));
        });
      }
    });
  });
}

/** The step's lines as its events carried them, checked to follow each other without a gap. */
function linesOf(events: StepOutputEvent[], host: string, step: string): string[] {
  const mine = events.filter((e) => e.host === host && e.step === step);
  let next = 0;
  for (const e of mine) {
    expect(e.first_line).toBe(next);
    next += e.lines.length;
  }
  return mine.flatMap((e) => e.lines);
}

describe('the output of a running step, as it comes', () => {
  let fixture: DeployFixture | undefined;
  let product: Product;
  let master: LabHost;
  let uuid: string;
  const events: StepOutputEvent[] = [];
  const all: ProgressEvent[] = [];
  let stop: () => void = () => undefined;

  beforeAll(async () => {
    fixture = await startDeployFixture(55, [
      {
        octet: 11,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/hold-kubeadm-init': `${HELD_LINE}\n` },
      },
    ]);
    product = fixture.product;
    master = fixture.lab.host(11);
    stop = product.ctx.events.subscribe((e) => {
      all.push(e);
      if (e.kind === 'step_output') events.push(e);
    });
  });

  afterAll(async () => {
    stop();
    await fixture?.teardown();
  });

  /** What the host printed, with the secrets it printed as the product redacts them. */
  function redactedPrint(): string {
    const printed = master.readFile(`${STANDIN}/printed-kubeadm-init`);
    const [token] = lines(master.readFile(`${STANDIN}/tokens`));
    const { certificateKey } = JSON.parse(master.readFile(`${STANDIN}/cluster.json`)) as {
      certificateKey: string;
    };
    // The host did print them: the record must not.
    expect(printed).toContain(token);
    expect(printed).toContain(certificateKey);
    return printed.replaceAll(token!, '[token]').replaceAll(certificateKey, '[secret]');
  }

  function secrets(): string[] {
    const { certificateKey } = JSON.parse(master.readFile(`${STANDIN}/cluster.json`)) as {
      certificateKey: string;
    };
    return [...lines(master.readFile(`${STANDIN}/tokens`)), certificateKey, ROOT_PASSWORD];
  }

  it('shows kubeadm init printing, in events and in the status, while it runs', async () => {
    ({ uuid } = await product.services.api.deploy(
      deployPlan('live55', [master], [], fixture!.bundle.archive),
    ));
    await eventOf(
      product,
      uuid,
      (e) =>
        e.kind === 'step_output' &&
        e.step === 'kubeadm init' &&
        e.lines.some((l) => l.startsWith(HELD_LINE)),
    );
    // The stand-in waits for the test: the step is still running.
    expect(master.readFile(`${STANDIN}/hold-kubeadm-init.waiting`)).toMatch(/^\d+\n$/);

    const status = await product.services.api.deployStatus({ uuid });
    expect(status.is_over).toBe(false);
    const init = status.steps.find((s) => s.step === 'kubeadm init')!;
    expect(init.state).toBe('running');
    expect(init.end_time).toBe(0);
    const soFar = `${INIT}\n${redactedPrint()}`.replace(/\n$/, '');
    expect(init.output).toBe(soFar);
    expect(init.output).toContain(`${HELD_LINE} [token]`);
    expect(init.output).toContain('[upload-certs] Using certificate key:\n[secret]\n');
    expect(init.output).not.toContain('initialized successfully');
    expect(linesOf(events, master.ip, 'kubeadm init')).toEqual(soFar.split('\n'));

    for (const secret of secrets()) {
      expect(JSON.stringify(events)).not.toContain(secret);
      expect(JSON.stringify(status)).not.toContain(secret);
      expect(deployRecords(product)).not.toContain(secret);
    }
  });

  it('ends with the whole output, as the host printed it but for the secrets', async () => {
    master.exec('touch /etc/topke-standin/release-kubeadm-init');
    const status = await waitForDeploy(product, uuid);
    expect(status.DeployStage.State).toBe('success');

    const init = status.steps.find((s) => s.step === 'kubeadm init')!;
    expect(init.state).toBe('ok');
    expect(init.output).toBe(`${INIT}\n${redactedPrint()}${INSTALL}`);
    expect(init.output).toContain('Your Kubernetes control-plane has initialized successfully!');
    expect(init.output).toContain('--control-plane --certificate-key [secret]');
    // Its last lines came before the event of its end.
    const isInit = (e: ProgressEvent) => 'step' in e && e.step === 'kubeadm init';
    expect(all.findLastIndex((e) => isInit(e) && e.kind === 'step_output')).toBeLessThan(
      all.findIndex((e) => isInit(e) && e.kind === 'deploy' && e.state === 'ok'),
    );
    // Every step's events carried its whole record, line for line, in order.
    const stepped = new Set(events.map((e) => `${e.host} ${e.step}`));
    expect(stepped).toContain(`${master.ip} import images`);
    for (const step of status.steps.filter((s) => stepped.has(`${s.host} ${s.step}`)))
      expect(linesOf(events, step.host, step.step)).toEqual(step.output.split('\n'));

    for (const secret of secrets()) {
      expect(JSON.stringify(events)).not.toContain(secret);
      expect(JSON.stringify(status)).not.toContain(secret);
      expect(deployRecords(product)).not.toContain(secret);
    }
  });
});
