import { describe, expect, it } from 'vitest';
import { parseRequestJson } from '../../main/contract/request-json.js';
import { thrown } from '../support/errors.js';

/** The refusal of `text`: field, message and Chinese message. */
function refusal(text: string, source?: { field: string; name?: string }): string[] {
  const e = thrown(() => parseRequestJson(text, source), text);
  expect(e.code).toBe('invalid_field');
  return [e.field!, e.message, e.messageCn];
}

describe('a request body', () => {
  it('is JSON, with trailing commas and comments allowed', () => {
    const text = `{
      // the spec's examples end their lists and objects with a comma
      "vip": "198.18.0.15", /* a block comment */
      "port": 8443,
      "list": [1, -2.5, 1e3, 0, -0, true, false, null, "a\\"b\\u4e2d",],
    }`;
    expect(parseRequestJson(text)).toEqual({
      vip: '198.18.0.15',
      port: 8443,
      list: [1, -2.5, 1000, 0, -0, true, false, null, 'a"b中'],
    });
  });

  it('keeps a "__proto__" key as a key, as JSON.parse does', () => {
    const parsed = parseRequestJson('{"__proto__": {"polluted": true}}') as object;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a nested "__proto__" key as a key', () => {
    const parsed = parseRequestJson('{"a": [{"__proto__": {"x": 2}}]}') as { a: object[] };
    const inner = parsed.a[0]!;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).toEqual({ x: 2 });
    expect(Object.keys(inner)).toEqual(['__proto__']);
  });

  it('refuses a key given twice in one object, naming it and where the second is', () => {
    expect(refusal('{"vip": "198.18.0.15", "port": 8443, "port": 9000}')).toEqual([
      'port',
      'port: is given twice in one object (the second at line 1, column 46): keep one',
      'port：在同一对象中出现了两次（第二次在第 1 行第 46 列）：请只保留一个',
    ]);
    const nested = '{"master_list": [{"IP": "198.18.0.11",\n "IP": "198.18.0.12"}]}';
    expect(refusal(nested)[0]).toBe('master_list[0].IP');
    expect(refusal('{"a": {"__proto__": 1, "__proto__": {"x": 2}}}')[0]).toBe('a.__proto__');
    // The same key in two objects is no repetition.
    expect(parseRequestJson('[{"IP": "a"}, {"IP": "b"}]')).toEqual([{ IP: 'a' }, { IP: 'b' }]);
  });
});

describe('a number that would mean something other than it reads', () => {
  it.each([
    [
      '{"port":0x20FB}',
      'port',
      'port: is written 0x20FB, a hexadecimal number; write it in decimal: 8443',
      'port：写作 0x20FB（十六进制数）；请写成十进制：8443',
    ],
    [
      '{"a": {"b": [1, -0x10]}}',
      'a.b[1]',
      'a.b[1]: is written -0x10, a hexadecimal number; write it in decimal: -16',
      'a.b[1]：写作 -0x10（十六进制数）；请写成十进制：-16',
    ],
    [
      '{"mode": 0755}',
      'mode',
      'mode: is written 0755, with a leading zero, which some read as octal; write it without the zero',
      'mode：写作 0755，以 0 开头，可能被当作八进制；请去掉开头的 0',
    ],
    [
      '{"limit": Infinity}',
      'limit',
      'limit: is Infinity, which is not a number JSON can carry; give a finite number',
      'limit：为 Infinity，不是 JSON 能表示的数字；请填写有限的数字',
    ],
    [
      '{"limit": -NaN}',
      'limit',
      'limit: is -NaN, which is not a number JSON can carry; give a finite number',
      'limit：为 -NaN，不是 JSON 能表示的数字；请填写有限的数字',
    ],
    [
      '{"limit": 1e400}',
      'limit',
      'limit: is 1e400, too large for a number; give a smaller one',
      'limit：为 1e400，数值过大；请填写较小的数字',
    ],
    [
      '{"id": 12345678901234567890}',
      'id',
      'id: is 12345678901234567890, a whole number too large to be kept exactly (at most 9007199254740991); give it as a string if it is an identifier',
      'id：为 12345678901234567890，整数过大，无法精确保存（最大 9007199254740991）；如果是标识符，请写成字符串',
    ],
    [
      '{"port": +8443}',
      'port',
      'port: is written +8443, which is not how JSON writes a number; write 8443',
      'port：写作 +8443，不是 JSON 的数字写法；请写成 8443',
    ],
    [
      '{"x": .5}',
      'x',
      'x: is written .5, which is not how JSON writes a number; write 0.5',
      'x：写作 .5，不是 JSON 的数字写法；请写成 0.5',
    ],
    [
      '{"x": [1, 5.]}',
      'x[1]',
      'x[1]: is written 5., which is not how JSON writes a number; write 5',
      'x[1]：写作 5.，不是 JSON 的数字写法；请写成 5',
    ],
    [
      '0x10',
      '(body)',
      '(body): is written 0x10, a hexadecimal number; write it in decimal: 16',
      '(body)：写作 0x10（十六进制数）；请写成十进制：16',
    ],
  ])('%s is refused, naming the field', (text, field, en, cn) => {
    expect(refusal(text)).toEqual([field, en, cn]);
  });
});

describe('what is not JSON', () => {
  it.each([
    [
      '{port: 1}',
      'keys need double quotes (line 1, column 2)',
      '键名需要使用双引号（第 1 行第 2 列）',
    ],
    [
      "{'port': 1}",
      'keys need double quotes (line 1, column 2)',
      '键名需要使用双引号（第 1 行第 2 列）',
    ],
    [
      `{"vip":\n  'x'}`,
      'strings need double quotes (line 2, column 3)',
      '字符串需要使用双引号（第 2 行第 3 列）',
    ],
    [
      '{"vip": x}',
      'unexpected "x": strings need double quotes (line 1, column 9)',
      '出现意外的 “x”：字符串需要使用双引号（第 1 行第 9 列）',
    ],
    ['{"sort_by":', 'it ends too early (line 1, column 12)', '内容提前结束（第 1 行第 12 列）'],
    [
      '{"a": 1 "b": 2}',
      `unexpected '"' where "," or "}" should be (line 1, column 9)`,
      '出现意外的 “"”，此处应为 “,” 或 “}”（第 1 行第 9 列）',
    ],
    [
      '{"a": 1,,}',
      'unexpected "," where a key should be (line 1, column 9)',
      '出现意外的 “,”，此处应为键名（第 1 行第 9 列）',
    ],
    [
      '{"a": 1} {}',
      'unexpected "{" after the end (line 1, column 10)',
      '出现意外的 “{”，位于内容结束之后（第 1 行第 10 列）',
    ],
    [
      '{"a": "line\nbreak"}',
      'a string is not closed on its line (a line break in a string is written \\n) (line 1, column 7)',
      '字符串没有在本行结束（字符串中的换行写作 \\n）（第 1 行第 7 列）',
    ],
    [
      '{"a": "\\x"}',
      'a string has an escape JSON does not have (it has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) (line 1, column 7)',
      '字符串包含 JSON 没有的转义（JSON 的转义为 \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX）（第 1 行第 7 列）',
    ],
    [
      '{"a": "\\u12"}',
      'a \\u escape needs four hexadecimal digits (line 1, column 7)',
      '\\u 转义需要四位十六进制数字（第 1 行第 7 列）',
    ],
    [
      '{"a": "tab\there"}',
      'a string has a raw control character; write it as an escape such as \\t or \\u0001 (line 1, column 7)',
      '字符串包含未转义的控制字符；请写成转义形式，如 \\t 或 \\u0001（第 1 行第 7 列）',
    ],
    [
      '{"a": 1e}',
      'a number is cut short: digits must follow its "." or "e" (line 1, column 7)',
      '数字不完整：“.” 或 “e” 之后需要数字（第 1 行第 7 列）',
    ],
    ['[1.5.3]', 'unexpected "1.5.3" (line 1, column 2)', '出现意外的 “1.5.3”（第 1 行第 2 列）'],
    [
      '[1,,2]',
      'unexpected "," where a value should be (line 1, column 4)',
      '出现意外的 “,”，此处应为值（第 1 行第 4 列）',
    ],
    [
      '{,}',
      'unexpected "," where a key should be (line 1, column 2)',
      '出现意外的 “,”，此处应为键名（第 1 行第 2 列）',
    ],
    ['', 'it ends too early (line 1, column 1)', '内容提前结束（第 1 行第 1 列）'],
    [
      '{"a": 1 /* open',
      'a /* comment is not closed (line 1, column 9)',
      '/* 注释没有结束（第 1 行第 9 列）',
    ],
    [
      `${'['.repeat(100)}${']'.repeat(100)}`,
      'nests deeper than 64 levels (line 1, column 66)',
      '嵌套超过 64 层（第 1 行第 66 列）',
    ],
  ])('%s is refused with where it goes wrong', (text, en, cn) => {
    expect(refusal(text)).toEqual([
      '(body)',
      `(body): is not valid JSON: ${en}`,
      `(body)：不是有效的 JSON：${cn}`,
    ]);
  });

  it.each([
    ['[', 66],
    ['{"a":', 5 * 65 + 1],
  ])(
    '100,000 levels of %s are refused at the limit, before the parser goes deeper',
    (open, column) => {
      const text = open.repeat(100_000);
      expect(refusal(text)).toEqual([
        '(body)',
        `(body): is not valid JSON: nests deeper than 64 levels (line 1, column ${column})`,
        `(body)：不是有效的 JSON：嵌套超过 64 层（第 1 行第 ${column} 列）`,
      ]);
    },
  );

  it('names the file a plan came from, and its field for a number', () => {
    const plan = { field: 'PLAN.json', name: '/tmp/plan.json' };
    expect(refusal('{"name": "a",\n "x"}', plan)).toEqual([
      'PLAN.json',
      'PLAN.json: /tmp/plan.json is not valid JSON: unexpected "}" where ":" should be (line 2, column 5)',
      'PLAN.json：/tmp/plan.json 不是有效的 JSON：出现意外的 “}”，此处应为 “:”（第 2 行第 5 列）',
    ]);
    expect(refusal('{"ssh": {"port": 0x16}}', plan)[0]).toBe('ssh.port');
  });
});
