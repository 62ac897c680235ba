/**
 * The requests the wizard builds from its form, checked against the contract's own schemas: the
 * per-host legacy algorithms opt-in reaches the deploy and preflight requests as that entry's
 * `ssh`, and the login test probes the opted-in hosts apart with `legacy_algorithms`.
 */
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../main/contract/operations.js';
import { validate } from '../../main/contract/validate.js';
import {
  buildDeployRequest,
  buildPreflightRequest,
  loginProbes,
} from '../../renderer/src/wizard/build-request.js';
import { createWizardForm, type WizardForm } from '../../renderer/src/wizard/form.js';

const OLD = '198.18.0.12';

function filledForm(): WizardForm {
  const form = createWizardForm();
  form.roles = { '198.18.0.11': 'master', [OLD]: 'worker', '198.18.0.13': 'worker' };
  form.ssh.password = 'site pw';
  form.legacyHosts[OLD] = true;
  Object.assign(form.settings, {
    name: 'site-a',
    kubernetesVersion: 'v1.30.2',
    bundlePath: '/media/usb/bundle.tar.gz',
  });
  return form;
}

describe('the wizard’s requests', () => {
  it('puts legacy_algorithms on the opted-in host’s own entry only', () => {
    const deploy = validate(OPERATIONS.deploy.request, buildDeployRequest(filledForm()));
    expect(deploy.master_list).toEqual([{ IP: '198.18.0.11' }]);
    expect(deploy.node_list).toEqual([
      { IP: OLD, ssh: { legacy_algorithms: true } },
      { IP: '198.18.0.13' },
    ]);
    expect(deploy.ssh).toMatchObject({ user: 'root', password: 'site pw' });
    expect(deploy.ssh!.legacy_algorithms).toBeUndefined();
  });

  it('sends the same entries to the preflight', () => {
    const preflight = validate(OPERATIONS.preflight.request, buildPreflightRequest(filledForm()));
    expect(preflight.node_list).toEqual([
      { IP: OLD, ssh: { legacy_algorithms: true } },
      { IP: '198.18.0.13' },
    ]);
  });

  it('probes the opted-in hosts on their own in the login test', () => {
    const form = filledForm();
    const probes = loginProbes(form, Object.keys(form.roles));
    expect(probes.map((p) => validate(OPERATIONS.hostScan.request, p))).toMatchObject([
      { targets: ['198.18.0.11', '198.18.0.13'], ssh: { password: 'site pw' } },
      { targets: [OLD], ssh: { password: 'site pw', legacy_algorithms: true } },
    ]);
    expect(probes[0]!.ssh!.legacy_algorithms).toBeUndefined();
    form.legacyHosts[OLD] = false;
    expect(loginProbes(form, [OLD])).toEqual([{ targets: [OLD], ssh: probes[0]!.ssh }]);
  });
});
