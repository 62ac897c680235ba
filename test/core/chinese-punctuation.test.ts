// Chinese text takes full-width parentheses （…）. The rule this test keeps, over the text of every
// string and template literal in the product's sources (main/, preload/, renderer/src/; code,
// comments and regular expressions are not text and are not read):
//
//   in a literal that has Chinese in it, a pair of half-width parentheses is wrong when the text
//   it encloses has a Chinese character, or when the nearest character outside it, past spaces,
//   is one; not when "(" is glued to a word on its left (the parentheses are then a value's own).
//
// So "（第 1 行）", "（ENOENT）" and "（${code}）" are right, and "(实际为 x)", "请检查 (ENOENT)" and
// "失败(原因)" are not; a value whose parentheses are its own stays as it is: "sudo -S (...)",
// "f(x)", a field "(body)：…" (a colon is not a Chinese character). What the literal cannot see is
// not judged: parentheses whose only neighbours are interpolations, as in `${a} (${b})`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HAN = /\p{Script=Han}/u;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|cts|vue)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The script of a file: a .vue file's <script> blocks, blanked elsewhere to keep line numbers. */
function scriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.vue')) return text;
  return text.replace(/^[\s\S]*?(<script[^>]*>)|<\/script>[\s\S]*?(<script[^>]*>|$)/g, (m) =>
    m.replace(/[^\n]/g, ' '),
  );
}

interface Literal {
  /** The literal's text, each interpolation replaced by INTERPOLATION. */
  text: string;
  line: number;
}

/** Stands for an interpolation: neither Chinese nor a space, so it hides what it stands for. */
const INTERPOLATION = '\u0000';

/** The text of every string and template literal. */
function literals(file: string): Literal[] {
  const source = ts.createSourceFile(file, scriptOf(file), ts.ScriptTarget.Latest, true);
  const found: Literal[] = [];
  const add = (node: ts.Node, text: string) =>
    found.push({ text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node, node.text);
    if (ts.isTemplateExpression(node))
      add(
        node,
        [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(INTERPOLATION),
      );
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** The half-width parenthesis pairs of a text, by index; one without its partner pairs with the
 * text's end or start. */
function pairs(text: string): [number, number][] {
  const out: [number, number][] = [];
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') open.push(i);
    else if (text[i] === ')') out.push([open.pop() ?? -1, i]);
  }
  return [...out, ...open.map((i): [number, number] => [i, text.length])];
}

/** The half-width parentheses of a text that the rule above finds wrong, with some context. */
function wrongParentheses(text: string): string[] {
  return pairs(text)
    .filter(([from, to]) => {
      if (HAN.test(text.slice(from + 1, to))) return true;
      // Glued to a word on its left, the parentheses are the value's own: f(x), C(2).
      if (from >= 0 && /\w/.test(text[from - 1] ?? '')) return false;
      const before = from >= 0 ? text.slice(0, from).trimEnd().at(-1) : undefined;
      const after = to < text.length ? text.slice(to + 1).trimStart()[0] : undefined;
      return [before, after].some((c) => c !== undefined && HAN.test(c));
    })
    .map(([from, to]) =>
      text.slice(Math.max(0, from - 8), to + 9).replaceAll(INTERPOLATION, '${}'),
    );
}

describe('the rule', () => {
  it.each(['(实际为 x)', '请检查 (ENOENT)', '失败(原因)', '结束 (', ') 之后', '（共 (3) 个）'])(
    'finds %s wrong',
    (text) => {
      expect(wrongParentheses(text)).toHaveLength(1);
    },
  );

  it.each([
    '（第 1 行）',
    '读取失败（ENOENT）',
    '请运行 sudo -S (...)',
    '调用 f(x) 时',
    '(body)：为必填项',
    '不接受 “(arguments)”',
  ])('leaves %s alone', (text) => {
    expect(wrongParentheses(text)).toEqual([]);
  });
});

describe("the product's Chinese text", () => {
  it('has no half-width parenthesis where the text around it is Chinese', () => {
    const wrong = ['main', 'preload', join('renderer', 'src')].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        literals(file)
          .filter((l) => HAN.test(l.text))
          .flatMap((l) =>
            wrongParentheses(l.text).map((at) => `${relative(ROOT, file)}:${l.line}: ${at}`),
          ),
      ),
    );
    expect(wrong).toEqual([]);
  });
});
