import { z } from 'zod';
import { invalidField } from './errors.js';
import { knownKeysAt, likelyMeant } from './known-keys.js';

const SEP = '\u001f';

/** A schema message in both languages; `validate` splits it again. */
export function bi(en: string, cn: string): string {
  return `${en}${SEP}${cn}`;
}

type Issue = z.core.$ZodIssue;
type Pair = [en: string, cn: string];

/** Fields whose values are never echoed back in an error. */
const SECRET_FIELD = /password|private_key|passphrase|token|kube_config_data/i;

/** Characters that would be invisible or break a message line: shown escaped, in quotes. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

const EXPECTED: Record<string, Pair> = {
  string: ['a string', '字符串'],
  number: ['a number', '数字'],
  int: ['a whole number', '整数'],
  boolean: ['true or false', 'true 或 false'],
  array: ['a list', '列表'],
  object: ['an object', '对象'],
};

/** A field's path as errors name it: `master_list[0].ssh.port`; the whole body is `(body)`. */
export function pathOf(path: PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[') || '(body)'
  );
}

/** What kind of value arrived, as a sentence names it: "a number", "null", "an empty list". */
function kindOf(value: unknown): Pair {
  if (value === null) return ['null', 'null'];
  if (Array.isArray(value)) return value.length ? ['a list', '列表'] : ['an empty list', '空列表'];
  switch (typeof value) {
    case 'string':
      return value ? ['a string', '字符串'] : ['an empty string', '空字符串'];
    case 'number':
      // The IPC bridge carries NaN and Infinity as such (a JSON body cannot: it is refused).
      return Number.isFinite(value) ? ['a number', '数字'] : [String(value), String(value)];
    case 'boolean':
      return ['a boolean', '布尔值'];
    case 'object':
      return ['an object', '对象'];
    default:
      return [`a ${typeof value}`, typeof value];
  }
}

/** The value itself, short and printable; an empty string or list by name. */
function valueOf(value: unknown): Pair {
  if (value === '' || (Array.isArray(value) && value.length === 0)) return kindOf(value);
  let text =
    typeof value === 'string'
      ? UNPRINTABLE.test(value)
        ? JSON.stringify(value)
        : value
      : typeof value === 'number'
        ? String(value)
        : (JSON.stringify(value) ?? String(value));
  const chars = [...text];
  if (chars.length > 60) text = `${chars.slice(0, 60).join('')}…`;
  return [text, text];
}

function expectedOf(issue: z.core.$ZodIssueInvalidType): Pair {
  const [en, cn] = EXPECTED[issue.expected] ?? [`a ${issue.expected}`, issue.expected];
  if (issue.expected === 'number' && typeof issue.input === 'number')
    return ['a finite number', '有限的数字'];
  return [en, cn];
}

/** A union's own failure ("Invalid input") says little. A branch that took the value's type and
 * then found fault with it (a pattern, a range, an entry of a list) says what is wrong. */
function settle(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || issue.message.includes(SEP)) return issue;
  const atRoot = (i: Issue) =>
    i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
  const telling = issue.errors.find((b) => b.length > 0 && !atRoot(b[0]!));
  if (!telling) return issue;
  const first = telling[0]!;
  return settle({ ...first, path: [...issue.path, ...first.path] } as Issue);
}

/** Every branch refused the value outright: say which types or which values it may have. */
function unionSentence(issue: z.core.$ZodIssueInvalidUnion): Pair {
  if (issue.input === undefined) return ['is required', '为必填项'];
  const firsts = issue.errors.flatMap((b) => (b[0] ? [b[0]] : []));
  const values = firsts.flatMap((i) => (i.code === 'invalid_value' ? i.values : []));
  const kinds = [
    ...new Map(
      firsts
        .flatMap((i) => (i.code === 'invalid_type' ? [expectedOf(i)] : []))
        .map((k) => [k[0], k]),
    ).values(),
  ];
  if (kinds.length === 0) return oneOf(values);
  return [
    `must be ${kinds.map((k) => k[0]).join(' or ')}`,
    shouldBe(kinds.map((k) => k[1]).join('或')),
  ];
}

/** Enum values, listed; an allowed empty string is said in words. */
function oneOf(values: readonly unknown[]): Pair {
  const listed = [...new Set(values.filter((v) => v !== '').map(String))].join(', ');
  const empty = values.includes('');
  return [
    `must be one of ${listed}${empty ? ' (or empty)' : ''}`,
    `必须是以下之一：${listed}${empty ? '（或留空）' : ''}`,
  ];
}

function sizeSentence(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): Pair {
  const small = issue.code === 'too_small';
  const n = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (small && n === '1') return ['must not be empty', '不能为空'];
    return small
      ? [`must be at least ${n} characters`, `长度不能少于 ${n} 个字符`]
      : [`must be at most ${n} characters`, `不能超过 ${n} 个字符`];
  }
  if (issue.origin === 'array') {
    if (small && n === '1') return ['needs at least one entry', '至少需要一项'];
    return small
      ? [`needs at least ${n} entries`, `至少需要 ${n} 项`]
      : [`must have at most ${n} entries`, `最多 ${n} 项`];
  }
  return small
    ? [`must be at least ${n}`, `不能小于 ${n}`]
    : [`must be at most ${n}`, `不能大于 ${n}`];
}

/** A value of the wrong type (not a fraction where a whole number is wanted: that is a check). */
function isTypeError(issue: Issue): boolean {
  if (issue.code === 'invalid_type')
    return !(issue.expected === 'int' && typeof issue.input === 'number');
  if (issue.code === 'invalid_union' && !issue.message.includes(SEP))
    return issue.errors.some((b) => b[0]?.code === 'invalid_type');
  return false;
}

/** "应为字符串", but "应为 true 或 false". */
function shouldBe(cn: string): string {
  return /^[A-Za-z]/.test(cn) ? `应为 ${cn}` : `应为${cn}`;
}

function describe(issue: Issue): Pair {
  // A schema's own sentence wins, except that a wrong type is always said as such: a message
  // written for a missing field ("is required") would mislead about a field sent as a number.
  const typeError = isTypeError(issue) && issue.input !== undefined;
  if (issue.message.includes(SEP) && !typeError) {
    const [en = '', cn = ''] = issue.message.split(SEP);
    return [en, cn];
  }
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return ['is required', '为必填项'];
      const [en, cn] = expectedOf(issue);
      return [`must be ${en}`, shouldBe(cn)];
    }
    case 'invalid_union':
      return unionSentence(issue);
    case 'too_small':
    case 'too_big':
      return sizeSentence(issue);
    case 'invalid_value':
      return oneOf(issue.values);
    case 'invalid_format':
      return [`is not a valid ${issue.format}`, `不是有效的 ${issue.format}`];
    default:
      return [issue.message, '取值无效'];
  }
}

/** What arrived, for the end of the message: the kind of a value of the wrong type, else the
 * value itself (never a secret's, and not an empty value already called empty). */
function gotOf(issue: Issue, field: string, en: string): Pair | null {
  if (issue.input === undefined) return null;
  if (isTypeError(issue)) return kindOf(issue.input);
  if (SECRET_FIELD.test(field)) return null;
  if (en.startsWith('must not be empty') && kindOf(issue.input)[0].startsWith('an empty'))
    return null;
  return valueOf(issue.input);
}

/** A field the request does not have: dropping it quietly would lose what the engineer meant
 * (a misspelled "username" would leave the user empty), so it is named, with the likely one. */
function unknownField(schema: z.ZodType, issue: z.core.$ZodIssueUnrecognizedKeys): Error {
  const key = issue.keys[0]!;
  const field = pathOf([...issue.path, key]);
  const meant = likelyMeant(key, knownKeysAt(schema, issue.path));
  const where = issue.path.length ? pathOf(issue.path) : 'this request';
  const cnWhere = issue.path.length ? ` ${pathOf(issue.path)} ` : '该请求';
  if (meant)
    return invalidField(
      field,
      `is not a field of ${where}: did you mean ${meant}?`,
      `不是${cnWhere}的字段：是否想写 ${meant}？`,
    );
  return invalidField(field, `is not a field of ${where}`, `不是${cnWhere}的字段`);
}

/** Checks `input` against `schema`; the first problem becomes a TopkeError naming the field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  // A misspelled field is named first: it also explains the field it left missing.
  const unknown = result.error.issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) throw unknownField(schema, unknown);
  const issue = settle(result.error.issues[0]!);
  const field = pathOf(issue.path);
  const [en, cn] = describe(issue);
  const got = gotOf(issue, field, en);
  if (!got) throw invalidField(field, en, cn);
  throw invalidField(field, `${en} (got ${got[0]})`, `${cn}（实际为 ${got[1]}）`);
}
