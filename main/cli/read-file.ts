import { readFileSync } from 'node:fs';
import { invalidField } from '../contract/errors.js';

/** Why a file could not be read, in both languages, from the system's error code. */
function why(err: unknown): [en: string, cn: string] {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return ['it does not exist', '文件不存在'];
  if (code === 'EACCES' || code === 'EPERM') return ['permission denied', '没有读取权限'];
  if (code === 'EISDIR') return ['it is a folder, not a file', '这是文件夹，不是文件'];
  const text = code ?? String(err);
  return [text, text];
}

/** The bytes of a file a command names, or an error naming the argument that gave its path and
 * why the file could not be read. */
export function readFileBytes(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const [en, cn] = why(err);
    throw invalidField(field, `cannot read file ${path}: ${en}`, `无法读取文件 ${path}：${cn}`);
  }
}

/** A UTF-8 text file a command names (see readFileBytes). */
export function readTextFile(path: string, field: string): string {
  return readFileBytes(path, field).toString('utf8');
}
