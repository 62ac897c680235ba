/** Quotes one value for a POSIX shell: the result is always exactly one word, whatever it holds. */
export function shellQuote(value: string | number): string {
  const text = String(value);
  if (text.includes('\0')) {
    // A NUL byte cannot travel inside a shell word; refusing beats silently truncating.
    throw new TypeError('a shell argument cannot contain a NUL byte');
  }
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Quotes each value and joins them with spaces: a command line built only from safe words. */
export function shellCommand(...words: Array<string | number>): string {
  return words.map(shellQuote).join(' ');
}
