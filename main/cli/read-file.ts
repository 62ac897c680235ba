import { readFileSync } from 'node:fs';
import { invalidField } from '../contract/errors.js';

/** A text file a command names, or an error naming the argument that gave its path. */
export function readTextFile(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw invalidField(field, `cannot read file ${path}`, `无法读取文件 ${path}`);
  }
}
