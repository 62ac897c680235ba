import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { problemAt, type Problem } from './problem.js';

/** Where a kubeconfig came from: the folder of its file, or null for pasted text and base64. */
export interface KubeconfigSource {
  dir: string | null;
}

const MAX_REFERENCED_FILE = 1024 * 1024;

/** Resolves a path the kubeconfig refers to, relative to the kubeconfig's own folder as kubectl
 * does. Pasted text has no folder and its paths point into whatever machine it was copied from,
 * so a path in it is refused (an absolute one too, unless `absoluteOk`: a plugin's location). */
export function resolveReference(
  ref: string,
  source: KubeconfigSource,
  field: string,
  absoluteOk = false,
): string | Problem {
  if (source.dir !== null) return resolve(source.dir, ref);
  if (absoluteOk && isAbsolute(ref)) return ref;
  return problemAt(
    field,
    `refers to the file "${ref}", which cannot be found from pasted text or base64: import the kubeconfig file itself, or put the content inline (the matching *-data field)`,
    `引用了文件 “${ref}”，粘贴的文本或 base64 无法解析该路径：请导入 kubeconfig 文件本身，或改用内联内容（对应的 *-data 字段）`,
  );
}

/** Reads a file the kubeconfig refers to, so that it can be stored inline. */
export function readReference(
  ref: string,
  source: KubeconfigSource,
  field: string,
): Buffer | Problem {
  const path = resolveReference(ref, source, field);
  if (typeof path !== 'string') return path;
  try {
    if (statSync(path).size > MAX_REFERENCED_FILE)
      return problemAt(
        field,
        `refers to "${path}", which is larger than 1 MiB`,
        `引用的 “${path}” 超过 1 MiB`,
      );
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return problemAt(
      field,
      `refers to "${path}", which cannot be read (${code})`,
      `引用的 “${path}” 无法读取（${code}）`,
    );
  }
}
