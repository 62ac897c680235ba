import { hostsWithRole, type WizardForm } from './form.js';
import { settingsProblems } from './settings-problems.js';

export const STEPS = ['hosts', 'credentials', 'settings', 'ha', 'review', 'deploy'] as const;
export type StepName = (typeof STEPS)[number];

/** What still keeps a step from being done, as i18n keys; empty when the step is complete. */
export function missingFor(step: StepName, form: WizardForm): string[] {
  const missing: string[] = [];
  if (step === 'hosts' && hostsWithRole(form, 'master').length === 0)
    missing.push('wizard.missing.master');
  if (step === 'credentials') {
    if (!form.ssh.user.trim()) missing.push('wizard.missing.user');
    const secret = form.ssh.auth === 'password' ? form.ssh.password : form.ssh.privateKey;
    if (!secret) missing.push(`wizard.missing.${form.ssh.auth}`);
  }
  if (step === 'settings') {
    if (!form.settings.name.trim()) missing.push('wizard.missing.name');
    if (!form.settings.kubernetesVersion.trim()) missing.push('wizard.missing.version');
    if (!form.settings.bundlePath.trim()) missing.push('wizard.missing.bundle');
    if (Object.keys(settingsProblems(form.settings)).length > 0)
      missing.push('wizard.missing.settingsInvalid');
  }
  if (step === 'ha' && form.ha.enabled && (!form.ha.vip.trim() || !form.ha.port))
    missing.push('wizard.missing.vip');
  return missing;
}
