/** The entries of a comma-separated list, trimmed, the empty ones dropped ("a, b,," is a, b). */
export const splitCommas = (v: string): string[] =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
