import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { invalidField } from '../contract/errors.js';

/** The folders of `dir` that do not exist yet, outermost first, and the nearest one that does. */
function missingFolders(dir: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) {
    missing.unshift(at);
    at = dirname(at);
  }
  return { existing: at, missing };
}

/** Makes the data folder, readable by its owner only, one level at a time: Node's recursive
 * mkdir never returns under some pseudo file systems (/proc). A path that is a file, or cannot be
 * made, is an error naming `field` (where the path came from) and the path. */
export function prepareDataDir(dir: string, field: string): void {
  const { existing, missing } = missingFolders(dir);
  if (!statSync(existing).isDirectory())
    throw invalidField(
      field,
      `${existing} is a file, not a folder: choose a folder for the data (or one that does not exist yet)`,
      `${existing} 是文件而不是文件夹：请为数据选择一个文件夹（或尚不存在的路径）`,
    );
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw invalidField(
        field,
        `cannot make the data folder ${folder} (${code}): choose a folder this user can write`,
        `无法创建数据文件夹 ${folder}（${code}）：请选择当前用户可写的文件夹`,
      );
    }
  }
}
