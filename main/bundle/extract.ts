import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { sha256File } from './hash.js';
import { bundleInvalid } from './errors.js';

/** Extractions under way in this process, by target folder: concurrent deploys of the same
 * archive wait for one unpacking instead of racing on the same folders. */
const pending = new Map<string, Promise<string>>();

/** Unpacks a .tar.gz bundle once into `cacheRoot/<archive sha256>`; later calls reuse it. Only
 * plain files and folders are taken: links in an archive could point outside the cache. */
export async function extractArchive(archive: string, cacheRoot: string): Promise<string> {
  const key = (await sha256File(archive)).slice(0, 24);
  const target = join(cacheRoot, key);
  if (existsSync(join(target, '.complete'))) return target;
  const running = pending.get(target);
  if (running) return running;
  const work = unpack(archive, target).finally(() => pending.delete(target));
  pending.set(target, work);
  return work;
}

async function unpack(archive: string, target: string): Promise<string> {
  const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    await extract({
      file: archive,
      cwd: staging,
      strict: true,
      filter: (_path, entry) =>
        'type' in entry && (entry.type === 'File' || entry.type === 'Directory'),
    });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw bundleInvalid(archive, `cannot be unpacked (${reason})`, `无法解压（${reason}）`);
  }
  await mkdir(join(staging, '.complete'));
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return target;
}
