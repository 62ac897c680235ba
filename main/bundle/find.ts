import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TopkeError } from '../contract/errors.js';
import { bundlesDir, peekBundle } from './open.js';

/** The unpacked bundles in `dir` that hold `version`, by bundle id (one folder each). */
async function bundlesOf(dir: string, version: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found = new Map<string, string>();
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.includes('.partial-')) continue;
    const folder = join(dir, entry.name);
    const bundle = await peekBundle(folder).catch(() => null);
    if (bundle?.manifest.kubernetes_version === version && !found.has(bundle.id))
      found.set(bundle.id, folder);
  }
  return found;
}

/** The bundle folder for a deploy that names none (the spec's request has no bundle_path): the
 * one bundle of `version` in the data folder's bundles/, where every archive deployed from is
 * unpacked and where an unpacked bundle may be put. None, or several, is the engineer's call. */
export async function findBundleFor(version: string, dataDir: string): Promise<string> {
  const dir = bundlesDir(dataDir);
  const found = await bundlesOf(dir, version);
  if (found.size === 1) return [...found.values()][0]!;
  if (found.size === 0)
    throw new TopkeError({
      code: 'not_found',
      field: 'bundle_path',
      message: `bundle_path: is needed: no offline bundle for ${version} is in ${dir}; give bundle_path (a bundle folder or .tar.gz)`,
      messageCn: `bundle_path：需要提供：${dir} 中没有 ${version} 的离线安装包；请提供 bundle_path（安装包文件夹或 .tar.gz）`,
    });
  const ids = [...found.keys()].join(', ');
  throw new TopkeError({
    code: 'invalid_field',
    field: 'bundle_path',
    message: `bundle_path: is needed: ${dir} holds ${found.size} different offline bundles for ${version} (${ids}); give bundle_path to choose one`,
    messageCn: `bundle_path：需要提供：${dir} 中有 ${found.size} 个不同的 ${version} 离线安装包（${ids}）；请用 bundle_path 指定其一`,
  });
}
