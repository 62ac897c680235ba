/** Full-width forms and CJK punctuation (１, ．, 。, ：), which a Chinese input method types when
 * it is not in half-width mode: they look like digits and dots but are not. */
const FULL_WIDTH = /[\u3000-\u303f\uff01-\uff5e]/u;

/** What to say of a value (an address, a number) typed with such a character, or null when it
 * has none. */
export function fullWidthProblem(text: string, what = 'address'): [en: string, cn: string] | null {
  const wide = FULL_WIDTH.exec(text)?.[0];
  if (!wide) return null;
  return [
    `"${wide}" is a full-width character; type the ${what} with the input method in half-width (ASCII) mode`,
    `“${wide}” 是全角字符；请将输入法切换到半角（英文）后重新输入`,
  ];
}
