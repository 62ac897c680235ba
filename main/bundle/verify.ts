import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import pLimit from 'p-limit';
import { bundleInvalid } from './errors.js';
import { sha256File } from './hash.js';
import { REQUIRED_FILES, type BundleFile, type BundleManifest } from './manifest.js';

/** Checks that the manifest lists what a node needs, once each. */
export function checkManifestContents(manifest: BundleManifest): void {
  const seen = new Set<string>();
  for (const file of manifest.files) {
    if (seen.has(file.path))
      throw bundleInvalid(
        file.path,
        'is listed twice in manifest.json',
        '在 manifest.json 中重复出现',
      );
    seen.add(file.path);
  }
  for (const path of REQUIRED_FILES) {
    if (!seen.has(path))
      throw bundleInvalid(
        path,
        'is required but missing from manifest.json',
        '为必需文件，但 manifest.json 中没有列出',
      );
  }
}

async function verifyFile(root: string, realRoot: string, file: BundleFile): Promise<void> {
  const path = join(root, file.path);
  const stat = await lstat(path).catch(() => null);
  if (!stat || !stat.isFile())
    throw bundleInvalid(file.path, 'is missing or not a regular file', '不存在或不是普通文件');
  if (!(await realpath(path)).startsWith(realRoot + sep))
    throw bundleInvalid(file.path, 'lies outside the bundle', '位于安装包之外');
  if (stat.size !== file.size)
    throw bundleInvalid(
      file.path,
      `has ${stat.size} bytes, the manifest says ${file.size}`,
      `大小为 ${stat.size} 字节，与 manifest 中的 ${file.size} 不符`,
    );
  if ((await sha256File(path)) !== file.sha256)
    throw bundleInvalid(
      file.path,
      'sha256 does not match the manifest',
      'sha256 校验值与 manifest 不符',
    );
}

/** Verifies every listed file's size and sha256 on this machine, a few files at a time. */
export async function verifyBundleFiles(root: string, manifest: BundleManifest): Promise<void> {
  const realRoot = await realpath(root);
  const limit = pLimit(4);
  await Promise.all(manifest.files.map((file) => limit(() => verifyFile(root, realRoot, file))));
}
