/** Number literals in a request body: JSON's own, read as written, and nothing that would make a
 * number mean something other than it reads (0x20FB is 8443, 0777 is octal to some readers,
 * Infinity and 1e400 are no number JSON can carry, 12345678901234567890 is not kept exactly). */

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(Infinity|NaN)$/;
const HEX = /^[+-]?0[xX][0-9a-fA-F]+$/;
const LEADING_ZERO = /^[+-]?0\d/;
const LOOSE_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type Pair = [en: string, cn: string];

/** The number a JSON number literal stands for, or what is wrong with it (`null`: not a number
 * literal at all, for the caller to report as unexpected text). */
export function readNumber(word: string): { value: number } | { wrong: Pair } | null {
  if (JSON_NUMBER.test(word)) return exactNumber(word);
  if (NOT_FINITE.test(word))
    return {
      wrong: [
        `is ${word}, which is not a number JSON can carry; give a finite number`,
        `为 ${word}，不是 JSON 能表示的数字；请填写有限的数字`,
      ],
    };
  if (HEX.test(word)) {
    const decimal = (word.startsWith('-') ? -1 : 1) * Number(word.replace(/^[+-]/, ''));
    return {
      wrong: [
        `is written ${word}, a hexadecimal number; write it in decimal: ${decimal}`,
        `写作 ${word}（十六进制数）；请写成十进制：${decimal}`,
      ],
    };
  }
  if (LEADING_ZERO.test(word))
    return {
      wrong: [
        `is written ${word}, with a leading zero, which some read as octal; write it without the zero`,
        `写作 ${word}，以 0 开头，可能被当作八进制；请去掉开头的 0`,
      ],
    };
  if (LOOSE_DECIMAL.test(word))
    return {
      wrong: [
        `is written ${word}, which is not how JSON writes a number; write ${Number(word)}`,
        `写作 ${word}，不是 JSON 的数字写法；请写成 ${Number(word)}`,
      ],
    };
  return null;
}

/** A JSON number that JavaScript keeps as written: finite, and a whole number exactly. */
function exactNumber(word: string): { value: number } | { wrong: Pair } {
  const value = Number(word);
  if (!Number.isFinite(value))
    return {
      wrong: [
        `is ${word}, too large for a number; give a smaller one`,
        `为 ${word}，数值过大；请填写较小的数字`,
      ],
    };
  if (/^-?\d+$/.test(word) && !Number.isSafeInteger(value))
    return {
      wrong: [
        `is ${word}, a whole number too large to be kept exactly (at most ${Number.MAX_SAFE_INTEGER}); give it as a string if it is an identifier`,
        `为 ${word}，整数过大，无法精确保存（最大 ${Number.MAX_SAFE_INTEGER}）；如果是标识符，请写成字符串`,
      ],
    };
  return { value };
}
