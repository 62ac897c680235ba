import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Def = { type: string } & Record<string, unknown>;

function defOf(schema: unknown): Def | null {
  return ((schema as { _zod?: { def?: Def } } | null)?._zod?.def as Def | undefined) ?? null;
}

/** The object schemas a value at this schema may be checked by, past wrappers (optional, default,
 * pipes) and into every branch of a union. */
function objectsAt(schema: unknown): Def[] {
  const def = defOf(schema);
  if (!def) return [];
  if (def.type === 'object') return [def];
  if (def.type === 'union') return (def.options as unknown[]).flatMap(objectsAt);
  if (def.type === 'pipe') return objectsAt(def.in);
  if ('innerType' in def) return objectsAt(def.innerType);
  return [];
}

/** The schema of the member at `path` (object keys and list indexes) of a value `schema` checks. */
function schemaAt(schema: unknown, path: readonly PropertyKey[]): unknown[] {
  if (path.length === 0) return [schema];
  const [step, ...rest] = path;
  const def = defOf(schema);
  if (def?.type === 'array' && typeof step === 'number') return schemaAt(def.element, rest);
  if (def && 'innerType' in def) return schemaAt(def.innerType, path);
  if (def?.type === 'pipe') return schemaAt(def.in, path);
  return objectsAt(schema).flatMap((o) => {
    const member = (o.shape as Record<string, unknown>)[String(step)];
    return member ? schemaAt(member, rest) : [];
  });
}

/** The field names an object at `path` may have, as the schema declares them. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = schemaAt(schema, path).flatMap((s) =>
    objectsAt(s).flatMap((o) => Object.keys(o.shape as object)),
  );
  return [...new Set(keys)];
}

/** `a` with two neighbouring letters swapped is `b` (prot / port): one slip of the fingers,
 * though Levenshtein's distance counts it as two. */
function swappedPair(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const i = [...a].findIndex((c, k) => c !== b[k]);
  return i >= 0 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** The known name the engineer most likely meant: the same but for case, or one or two
 * letters off (two neighbours swapped count as one), or one containing the other (user /
 * username). Null when none is close. */
export function likelyMeant(unknown: string, known: readonly string[]): string | null {
  if (known.length === 0) return null;
  const lower = unknown.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const swapped = known.find((k) => swappedPair(lower, k.toLowerCase()));
  if (swapped) return swapped;
  const near = closest(
    lower,
    known.map((k) => k.toLowerCase()),
  );
  const match = known.find((k) => k.toLowerCase() === near)!;
  if (distance(lower, near) <= Math.min(2, Math.floor(lower.length / 3))) return match;
  const contained = known.find((k) => {
    const l = k.toLowerCase();
    return l.length >= 3 && (lower.includes(l) || l.includes(lower));
  });
  return contained ?? null;
}
