import type { HTMLAttributes } from 'vue';

/** Attributes for a table row, with data-* attributes (for tests) that Vue's types leave out. */
export function rowAttrs(
  data: Record<`data-${string}`, string>,
  extra: HTMLAttributes = {},
): HTMLAttributes {
  return { ...extra, ...data } as HTMLAttributes;
}
