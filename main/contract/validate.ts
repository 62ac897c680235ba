import { z } from 'zod';
import { invalidField } from './errors.js';

const SEP = '\u001f';

/** A schema message in both languages; `validate` splits it again. */
export function bi(en: string, cn: string): string {
  return `${en}${SEP}${cn}`;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return (
    issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[') || '(body)'
  );
}

function describe(issue: z.core.$ZodIssue): [string, string] {
  if (issue.message.includes(SEP)) {
    const [en = '', cn = ''] = issue.message.split(SEP);
    return [en, cn];
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? ['is required', '为必填项']
        : [`must be of type ${issue.expected}`, `应为 ${issue.expected} 类型`];
    case 'too_small':
      return issue.origin === 'array'
        ? [
            `needs at least ${String(issue.minimum)} entries`,
            `至少需要 ${String(issue.minimum)} 项`,
          ]
        : issue.origin === 'string'
          ? [
              `must not be shorter than ${String(issue.minimum)} characters`,
              `长度不能少于 ${String(issue.minimum)} 个字符`,
            ]
          : [`must be at least ${String(issue.minimum)}`, `不能小于 ${String(issue.minimum)}`];
    case 'too_big':
      return issue.origin === 'string'
        ? [
            `must not be longer than ${String(issue.maximum)} characters`,
            `长度不能超过 ${String(issue.maximum)} 个字符`,
          ]
        : [`must be at most ${String(issue.maximum)}`, `不能大于 ${String(issue.maximum)}`];
    case 'invalid_value':
      return [
        `must be one of ${issue.values.map(String).join(', ')}`,
        `必须是以下之一：${issue.values.map(String).join(', ')}`,
      ];
    case 'invalid_format':
      return [`is not a valid ${issue.format}`, `不是有效的 ${issue.format}`];
    default:
      return [issue.message, '取值无效'];
  }
}

function show(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? '' : ` (got ${text.length > 60 ? `${text.slice(0, 60)}…` : text})`;
}

/** Checks `input` against `schema`; the first problem becomes a TopkeError naming the field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const [en, cn] = describe(issue);
  const got = /password|private_key|passphrase|token|kube_config_data/i.test(pathOf(issue))
    ? ''
    : show(issue.input);
  throw invalidField(pathOf(issue), `${en}${got}`, `${cn}${got.replace('got', '实际为')}`);
}
