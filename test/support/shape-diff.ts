// Compares the structure of an answer with the spec's example of it: key names at every level,
// and JSON types wherever the example's value is not null (a null there says nothing of the type).

type Kind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

/** The spec's times are Unix seconds (1630044538); a value of that size must be one too. */
const looksLikeSeconds = (n: number): boolean => n >= 1e9 && n < 1e10;
const isSecondsOrZero = (n: number): boolean =>
  Number.isInteger(n) && (n === 0 || looksLikeSeconds(n));

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Where `answer` departs from `example`: a key of the example missing, a key the example lacks
 * that is not in `extensions` (paths such as "data.steps" or "data.list[].source"), a value of
 * another JSON type, a time not in seconds, or an empty list where the example has entries (so
 * its entries could not be compared). Every entry of a list is compared with the example's first.
 */
export function shapeDiff(
  example: unknown,
  answer: unknown,
  extensions: readonly string[] = [],
  path = '',
): string[] {
  const want = kindOf(example);
  if (want === 'null') return [];
  const got = kindOf(answer);
  const at = path || '(answer)';
  if (want !== got) return [`${at}: the spec has ${want}, the answer ${got}`];
  if (want === 'number' && looksLikeSeconds(example as number))
    return isSecondsOrZero(answer as number)
      ? []
      : [`${at}: ${String(answer)} is not Unix seconds`];
  if (want === 'array')
    return listDiff(example as unknown[], answer as unknown[], extensions, path);
  if (want === 'object')
    return objectDiff(
      example as Record<string, unknown>,
      answer as Record<string, unknown>,
      extensions,
      path,
    );
  return [];
}

function listDiff(
  example: unknown[],
  answer: unknown[],
  extensions: readonly string[],
  path: string,
): string[] {
  if (example.length === 0) return [];
  if (answer.length === 0) return [`${path}: an empty list, so nothing to compare with the spec's`];
  return answer.flatMap((entry) => shapeDiff(example[0], entry, extensions, `${path}[]`));
}

function objectDiff(
  example: Record<string, unknown>,
  answer: Record<string, unknown>,
  extensions: readonly string[],
  path: string,
): string[] {
  const missing = Object.keys(example)
    .filter((k) => !(k in answer))
    .map((k) => `${join(path, k)}: missing`);
  const extra = Object.keys(answer)
    .filter((k) => !(k in example) && !extensions.includes(join(path, k)))
    .map((k) => `${join(path, k)}: not in the spec, and not a documented extension`);
  const nested = Object.keys(example)
    .filter((k) => k in answer)
    .flatMap((k) => shapeDiff(example[k], answer[k], extensions, join(path, k)));
  return [...missing, ...extra, ...nested];
}
