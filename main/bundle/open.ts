import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { bundleInvalid } from './errors.js';
import { extractArchive } from './extract.js';
import { sha256Text } from './hash.js';
import { BundleManifest } from './manifest.js';
import { checkManifestContents, verifyBundleFiles } from './verify.js';

/** A verified offline bundle on this machine. */
export interface Bundle {
  /** The folder holding manifest.json (inside the cache for an archive). */
  root: string;
  /** Names the bundle's version and content, e.g. "v1.30.2-1a2b3c4d5e6f"; the folder on hosts. */
  id: string;
  manifest: BundleManifest;
  /** Where the engineer's bundle is (folder or archive), for later node additions. */
  source: string;
}

async function findManifestRoot(dir: string): Promise<string> {
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  const entries = (await readdir(dir, { withFileTypes: true })).filter(
    (e) => e.isDirectory() && e.name !== '.complete',
  );
  const only = entries.length === 1 ? join(dir, entries[0]!.name) : null;
  if (only && existsSync(join(only, 'manifest.json'))) return only;
  throw bundleInvalid('manifest.json', 'is missing', '缺失');
}

async function readManifest(root: string): Promise<{ manifest: BundleManifest; raw: Buffer }> {
  const raw = await readFile(join(root, 'manifest.json'));
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw bundleInvalid('manifest.json', 'is not valid JSON', '不是有效的 JSON');
  }
  const parsed = BundleManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(root)';
    const [en, cn = en] = issue.message.split('\u001f');
    throw bundleInvalid('manifest.json', `${where}: ${en}`, `${where}：${cn}`);
  }
  return { manifest: parsed.data, raw };
}

async function locate(source: string, cacheRoot: string): Promise<string> {
  const info = await stat(source).catch(() => null);
  if (!info) throw bundleInvalid(source, 'does not exist', '不存在');
  if (info.isDirectory()) return source;
  if (/\.(tar\.gz|tgz)$/i.test(source)) return extractArchive(source, cacheRoot);
  throw bundleInvalid(source, 'must be a folder or a .tar.gz file', '必须是文件夹或 .tar.gz 文件');
}

/** Where archives are unpacked, and where a deploy without bundle_path looks for its bundle. */
export const bundlesDir = (dataDir: string): string => join(dataDir, 'bundles');

/** The manifest of an unpacked bundle folder and the bundle's id, without checking its files. */
export async function peekBundle(
  dir: string,
): Promise<{ root: string; id: string; manifest: BundleManifest }> {
  const root = await findManifestRoot(dir);
  const { manifest, raw } = await readManifest(root);
  return { root, id: `${manifest.kubernetes_version}-${sha256Text(raw).slice(0, 12)}`, manifest };
}

/** Reads a bundle folder or .tar.gz and verifies every file before any host is touched. */
export async function openBundle(path: string, dataDir: string): Promise<Bundle> {
  const source = resolve(z.string().parse(path));
  const { root, id, manifest } = await peekBundle(await locate(source, bundlesDir(dataDir)));
  checkManifestContents(manifest);
  await verifyBundleFiles(root, manifest);
  return { root, id, manifest, source };
}
