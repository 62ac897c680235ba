/** What each of jsonc-parser's syntax errors says to the person who wrote the text, in English
 * and Chinese: the parser names the error, these sentences say it with what was found there. */
import type { printParseErrorCode } from 'jsonc-parser';
import type { Pair } from './json-numbers.js';

export type SyntaxErrorName = ReturnType<typeof printParseErrorCode>;
type KnownName = Exclude<SyntaxErrorName, '<unknown ParseErrorCode>'>;

/** Where the error is: at a key of an object, and the bracket that would close its container. */
export interface Place {
  key: boolean;
  close: string;
}

export const ENDS_EARLY: Pair = ['it ends too early', '内容提前结束'];
const KEYS_QUOTED: Pair = ['keys need double quotes', '键名需要使用双引号'];
const STRINGS_QUOTED: Pair = ['strings need double quotes', '字符串需要使用双引号'];

export function tooDeep(levels: number): Pair {
  return [`nests deeper than ${levels} levels`, `嵌套超过 ${levels} 层`];
}

/** Shows the text found as it is, or escaped when it would not be seen. */
function shown(text: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]+$/u.test(text) ? text : JSON.stringify(text);
}

function unexpected(found: string, en = '', cn = ''): Pair {
  const what = shown(found);
  const quoted = what.includes('"') ? `'${what}'` : `"${what}"`;
  return [`unexpected ${quoted}${en}`, `出现意外的 “${what}”${cn}`];
}

function keyExpected(found: string): Pair {
  return unexpected(found, ' where a key should be', '，此处应为键名');
}

/** A word JSON does not have: a key or a string without its double quotes, or a stray character. */
function invalidSymbol(found: string, place: Place): Pair {
  if (place.key) return /^[A-Za-z_$']/.test(found) ? KEYS_QUOTED : keyExpected(found);
  if (found === "'") return STRINGS_QUOTED;
  if (/[\p{L}_$]/u.test(found))
    return unexpected(found, ': strings need double quotes', '：字符串需要使用双引号');
  return unexpected(found);
}

const MESSAGES: Record<KnownName, (found: string, place: Place) => Pair> = {
  InvalidSymbol: invalidSymbol,
  InvalidNumberFormat: (found) =>
    unexpected(found, ': not a number as JSON writes one', '：不是 JSON 的数字写法'),
  PropertyNameExpected: (found) => keyExpected(found),
  ValueExpected: (found, { key }) =>
    key ? keyExpected(found) : unexpected(found, ' where a value should be', '，此处应为值'),
  ColonExpected: (found) => unexpected(found, ' where ":" should be', '，此处应为 “:”'),
  CommaExpected: (found, { close }) =>
    unexpected(found, ` where "," or "${close}" should be`, `，此处应为 “,” 或 “${close}”`),
  CloseBraceExpected: () => ['"}" is missing', '缺少 “}”'],
  CloseBracketExpected: () => ['"]" is missing', '缺少 “]”'],
  EndOfFileExpected: (found) => unexpected(found, ' after the end', '，位于内容结束之后'),
  InvalidCommentToken: () => ['a comment is not allowed here', '此处不允许注释'],
  UnexpectedEndOfComment: () => ['a /* comment is not closed', '/* 注释没有结束'],
  UnexpectedEndOfString: () => [
    'a string is not closed on its line (a line break in a string is written \\n)',
    '字符串没有在本行结束（字符串中的换行写作 \\n）',
  ],
  UnexpectedEndOfNumber: () => [
    'a number is cut short: digits must follow its "." or "e"',
    '数字不完整：“.” 或 “e” 之后需要数字',
  ],
  InvalidUnicode: () => [
    'a \\u escape needs four hexadecimal digits',
    '\\u 转义需要四位十六进制数字',
  ],
  InvalidEscapeCharacter: () => [
    'a string has an escape JSON does not have (it has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
    '字符串包含 JSON 没有的转义（JSON 的转义为 \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX）',
  ],
  InvalidCharacter: () => [
    'a string has a raw control character; write it as an escape such as \\t or \\u0001',
    '字符串包含未转义的控制字符；请写成转义形式，如 \\t 或 \\u0001',
  ],
};

/** The sentence for a syntax error; `found` is the word or character where it was found. */
export function syntaxMessage(name: SyntaxErrorName, found: string, place: Place): Pair {
  // A code added by a later version of the parser still says what it found.
  if (name === '<unknown ParseErrorCode>') return unexpected(found);
  return MESSAGES[name](found, place);
}
