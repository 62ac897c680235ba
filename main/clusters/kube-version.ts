import type { KubeVersion } from '../contract/results.js';

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?/;

function fromText(text: string): KubeVersion | null {
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  const gitVersion = text.trim().startsWith('v') ? text.trim() : `v${text.trim()}`;
  return { ...unknownKubeVersion(), major: m[1]!, minor: m[2]!, gitVersion };
}

function fromJson(value: Record<string, unknown>): KubeVersion {
  const str = (k: string) => (typeof value[k] === 'string' ? (value[k] as string) : '');
  return {
    major: str('major'),
    minor: str('minor'),
    gitVersion: str('gitVersion'),
    gitCommit: str('gitCommit'),
    gitTreeState: str('gitTreeState'),
    buildDate: str('buildDate'),
    goVersion: str('goVersion'),
    compiler: str('compiler'),
    platform: str('platform'),
  };
}

/** The stored kube_version: the API server's /version answer as JSON (imports, checks) or a plain
 * version such as "v1.30.2" (deploys); both read as the spec's kube_version object. */
export function parseKubeVersion(stored: string | null | undefined): KubeVersion | null {
  if (!stored) return null;
  if (stored.trimStart().startsWith('{')) {
    try {
      const value = JSON.parse(stored) as unknown;
      if (value && typeof value === 'object') return fromJson(value as Record<string, unknown>);
    } catch {
      return null;
    }
  }
  return fromText(stored);
}

/** The spec's kube_version object of a cluster whose version is not known (never reached): every
 * field empty, so that the answer keeps the spec's shape. */
export function unknownKubeVersion(): KubeVersion {
  return {
    major: '',
    minor: '',
    gitVersion: '',
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: '',
    compiler: '',
    platform: '',
  };
}

/** A key that sorts versions by number (v1.9 before v1.10); unknown versions sort first. */
export function versionSortKey(stored: string | null | undefined): string {
  const version = parseKubeVersion(stored);
  const m = version
    ? VERSION.exec(version.gitVersion || `${version.major}.${version.minor}`)
    : null;
  if (!m) return '';
  const pad = (n: string | undefined) => (n ?? '0').padStart(6, '0');
  return `${pad(m[1])}.${pad(m[2])}.${pad(m[3])}`;
}
