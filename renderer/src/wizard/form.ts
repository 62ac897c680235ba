import { inject, provide, reactive, type InjectionKey } from 'vue';
import { NODE_SCALES, KUBE_PROXY_MODES } from '../../../main/contract/defaults.js';
import { createScanTargetsForm, type ScanTargetsForm } from './scan-targets.js';

export type Role = 'master' | 'worker' | 'none';
export type NodeScale = (typeof NODE_SCALES)[number];
export type ProxyMode = (typeof KUBE_PROXY_MODES)[number];

/** How to log in to every host. Secrets live here, in the wizard's own form, and nowhere else. */
export interface SshForm {
  user: string;
  auth: 'password' | 'key';
  password: string;
  privateKey: string;
  passphrase: string;
  sudoPassword: string;
  port: number | null;
}

export interface SettingsForm {
  name: string;
  desc: string;
  kubernetesVersion: string;
  nodeScale: NodeScale;
  podCidr: string;
  serviceCidr: string;
  proxyMode: ProxyMode;
  registry: { address: string; project: string; user: string; password: string };
  bundlePath: string;
}

export interface HaForm {
  enabled: boolean;
  vip: string;
  port: number | null;
}

export interface WizardForm {
  /** What the last scan covered, as typed, kept while the engineer moves between steps. */
  scan: ScanTargetsForm;
  /** Role per host address; a host without an entry is not used. */
  roles: Record<string, Role>;
  /** Addresses the engineer added by hand. */
  manualHosts: string[];
  ssh: SshForm;
  /** Hosts whose old sshd needs legacy algorithms (SHA-1 key exchange, CBC ciphers): an opt-in
   * per address, so that no other host is offered them. */
  legacyHosts: Record<string, boolean>;
  settings: SettingsForm;
  ha: HaForm;
}

/** A login as the engineer starts typing it: root, by password, on port 22. */
export function createSshForm(): SshForm {
  return {
    user: 'root',
    auth: 'password',
    password: '',
    privateKey: '',
    passphrase: '',
    sudoPassword: '',
    port: 22,
  };
}

export function createWizardForm(): WizardForm {
  return reactive<WizardForm>({
    scan: createScanTargetsForm(),
    roles: {},
    manualHosts: [],
    ssh: createSshForm(),
    legacyHosts: {},
    settings: {
      name: '',
      desc: '',
      kubernetesVersion: '',
      nodeScale: 'medium',
      podCidr: '',
      serviceCidr: '',
      proxyMode: 'iptables',
      registry: { address: '', project: '', user: '', password: '' },
      bundlePath: '',
    },
    ha: { enabled: false, vip: '', port: 8443 },
  });
}

/** Readies the form for another cluster at the same site: the hosts' roles, the name and the HA
 * choice are cleared; the login, bundle and network settings are kept. */
export function startOver(form: WizardForm): void {
  form.roles = {};
  form.manualHosts = [];
  form.settings.name = '';
  form.settings.desc = '';
  form.ha.enabled = false;
  form.ha.vip = '';
}

const KEY: InjectionKey<WizardForm> = Symbol('wizard-form');

/** Called by the wizard; its steps read the same form with useWizardForm(). */
export function provideWizardForm(form: WizardForm): void {
  provide(KEY, form);
}

export function useWizardForm(): WizardForm {
  const form = inject(KEY);
  if (!form) throw new Error('a wizard step is used outside the wizard');
  return form;
}

/** Addresses with the given role, in address order. */
export function hostsWithRole(form: WizardForm, role: Role): string[] {
  return Object.entries(form.roles)
    .filter(([, r]) => r === role)
    .map(([ip]) => ip)
    .sort(compareIp);
}

export function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
