import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Bundle } from '../bundle/open.js';
import type { BundleFile } from '../bundle/manifest.js';
import { shellCommand, shellQuote } from '../ssh/quote.js';
import type { Remote } from './remote.js';
import type { StepResult } from './run.js';

export const BUNDLES_DIR = '/opt/topke/bundles';

/** The bundle's versioned folder on a host, e.g. /opt/topke/bundles/v1.30.2-1a2b3c4d5e6f. */
export function bundleDir(bundle: Bundle): string {
  return `${BUNDLES_DIR}/${bundle.id}`;
}

/** sha256sum's lines ("<hex>  <path>") as path -> hex. */
function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) sums.set(m[2]!, m[1]!);
  }
  return sums;
}

async function filesToSend(
  remote: Remote,
  dir: string,
  files: BundleFile[],
): Promise<BundleFile[]> {
  const paths = files.map((f) => f.path);
  const listing = await remote.run(
    `cd ${shellQuote(dir)} 2>/dev/null && sha256sum -- ${shellCommand(...paths)} 2>/dev/null`,
    {
      label: `sha256sum of the ${paths.length} bundle files already in ${dir}`,
      check: false,
      quiet: true,
      idempotent: true,
    },
  );
  const present = parseSums(listing.stdout);
  return files.filter((f) => present.get(f.path) !== f.sha256);
}

/** Pushes the bundle over SFTP into its versioned folder; files whose sha256 already matches
 * stay as they are, so an interrupted push resumes where it stopped. */
export async function pushBundle(remote: Remote, bundle: Bundle): Promise<StepResult> {
  const dir = bundleDir(bundle);
  const missing = await filesToSend(remote, dir, bundle.manifest.files);
  const limit = pLimit(4);
  await Promise.all(
    missing.map((file) =>
      limit(async () => {
        await remote.upload(join(bundle.root, file.path), `${dir}/${file.path}`, file.mode);
        remote.output.add(`uploaded ${file.path} (${file.size} bytes)`);
      }),
    ),
  );
  await remote.upload(join(bundle.root, 'manifest.json'), `${dir}/manifest.json`, 0o644);
  const kept = bundle.manifest.files.length - missing.length;
  remote.output.add(`${missing.length} file(s) uploaded, ${kept} already in place`);
  return missing.length === 0 ? 'skipped' : 'ok';
}

/** Checks every bundle file's sha256 on the host itself, with sha256sum. */
export async function verifyBundleOnHost(remote: Remote, bundle: Bundle): Promise<void> {
  const list = bundle.manifest.files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
  await remote.run(`cd ${shellQuote(bundleDir(bundle))} && sha256sum --check --strict --quiet -`, {
    stdin: list,
    label: `sha256sum --check of ${bundle.manifest.files.length} files in ${bundleDir(bundle)}`,
    idempotent: true,
  });
  remote.output.add(`all ${bundle.manifest.files.length} files match the manifest`);
}
