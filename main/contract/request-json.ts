import { invalidField, type TopkeError } from './errors.js';
import { readNumber, type Pair } from './json-numbers.js';
import { pathOf } from './validate.js';

/** Deeper than any request: the limit keeps a hostile body from exhausting the stack. */
const MAX_DEPTH = 64;

/** A number, literal or bare word: read whole, so that 0x20FB is judged as written. */
const WORD = /[A-Za-z0-9_$+\-.]+/y;

const LITERALS = new Map<string, unknown>([
  ['true', true],
  ['false', false],
  ['null', null],
]);

/** What the text is, for its errors: the field a syntax error names, and a name said first (a
 * plan file's path). */
export interface JsonSource {
  field: string;
  name?: string;
}

function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  return { line: before.split('\n').length, column: pos - before.lastIndexOf('\n') };
}

/** Shows a character as it is, or escaped when it would not be seen. */
function shown(text: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]+$/u.test(text) ? text : JSON.stringify(text);
}

class Reader {
  private pos = 0;
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly source: JsonSource,
  ) {}

  parse(): unknown {
    const value = this.value();
    this.skip();
    if (this.pos < this.text.length) throw this.unexpected(' after the end', '，位于内容结束之后');
    return value;
  }

  private value(): unknown {
    if (this.path.length > MAX_DEPTH)
      throw this.syntax([`nests deeper than ${MAX_DEPTH} levels`, `嵌套超过 ${MAX_DEPTH} 层`]);
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === "'") throw this.syntax(['strings need double quotes', '字符串需要使用双引号']);
    return this.word();
  }

  private object(): Record<string, unknown> {
    this.pos++;
    // Entries, not assignments: a key "__proto__" stays a key, as in JSON.parse.
    const entries: [string, unknown][] = [];
    this.skip();
    if (this.eat('}')) return Object.fromEntries(entries);
    for (;;) {
      const key = this.key();
      this.path.push(key);
      entries.push([key, this.value()]);
      this.path.pop();
      if (this.endOf('}')) return Object.fromEntries(entries);
    }
  }

  private key(): string {
    this.skip();
    if (this.text[this.pos] !== '"') {
      const bare = /^[A-Za-z_$']/.test(this.text[this.pos] ?? '');
      if (bare) throw this.syntax(['keys need double quotes', '键名需要使用双引号']);
      throw this.unexpected(' where a key should be', '，此处应为键名');
    }
    const key = this.string();
    this.skip();
    if (!this.eat(':')) throw this.unexpected(' where ":" should be', '，此处应为 “:”');
    return key;
  }

  private array(): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    this.skip();
    if (this.eat(']')) return items;
    for (;;) {
      this.path.push(items.length);
      items.push(this.value());
      this.path.pop();
      if (this.endOf(']')) return items;
    }
  }

  /** After an entry: true at the closing bracket (a trailing comma allowed before it), false
   * when a comma says another entry follows. */
  private endOf(close: string): boolean {
    this.skip();
    if (this.eat(close)) return true;
    if (!this.eat(','))
      throw this.unexpected(` where "," or "${close}" should be`, `，此处应为 “,” 或 “${close}”`);
    this.skip();
    return this.eat(close);
  }

  /** A string, decoded by JSON's own rules (escapes, no raw control characters). */
  private string(): string {
    const start = this.pos;
    let end = start;
    do {
      end = this.text.indexOf('"', end + 1);
      if (end < 0) throw this.syntax(['a string is not closed', '字符串没有结束']);
    } while (this.escaped(end));
    this.pos = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      this.pos = start;
      throw this.syntax([
        'a string has a bad escape or a raw control character',
        '字符串包含无效的转义或未转义的控制字符',
      ]);
    }
  }

  private escaped(quote: number): boolean {
    let slashes = 0;
    while (this.text[quote - 1 - slashes] === '\\') slashes++;
    return slashes % 2 === 1;
  }

  private word(): unknown {
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[0];
    if (word === undefined) throw this.unexpected();
    if (LITERALS.has(word)) {
      this.pos += word.length;
      return LITERALS.get(word);
    }
    const number = readNumber(word);
    if (number === null)
      throw this.unexpected(': strings need double quotes', '：字符串需要使用双引号', word);
    if ('wrong' in number) {
      const field = this.path.length ? pathOf(this.path) : this.source.field;
      throw invalidField(field, ...number.wrong);
    }
    this.pos += word.length;
    return number.value;
  }

  /** Spaces, tabs, line ends and comments (`// ...` and `/* ... *\/`). */
  private skip(): void {
    for (;;) {
      const c = this.text[this.pos];
      const next = this.text[this.pos + 1];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && next === '/') {
        const eol = this.text.indexOf('\n', this.pos);
        this.pos = eol < 0 ? this.text.length : eol + 1;
      } else if (c === '/' && next === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw this.syntax(['a /* comment is not closed', '/* 注释没有结束']);
        this.pos = end + 2;
      } else return;
    }
  }

  private eat(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private unexpected(en = '', cn = '', text?: string): TopkeError {
    if (this.pos >= this.text.length) return this.syntax(['it ends too early', '内容提前结束']);
    const what = shown(text ?? [...this.text.slice(this.pos, this.pos + 2)][0]!);
    const quoted = what === '"' ? `'"'` : `"${what}"`;
    return this.syntax([`unexpected ${quoted}${en}`, `出现意外的 “${what}”${cn}`]);
  }

  private syntax([en, cn]: Pair): TopkeError {
    const { line, column } = lineColumn(this.text, this.pos);
    const name = this.source.name ? `${this.source.name} ` : '';
    return invalidField(
      this.source.field,
      `${name}is not valid JSON: ${en} (line ${line}, column ${column})`,
      `${name}不是有效的 JSON：${cn}（第 ${line} 行第 ${column} 列）`,
    );
  }
}

/** Parses a request's JSON text: JSON (RFC 8259) with trailing commas and comments, as the
 * spec's examples and hand-written plans have them, and nothing else of JSON5: keys and strings
 * in double quotes, numbers in JSON's decimal form (see json-numbers). */
export function parseRequestJson(text: string, source: JsonSource = { field: '(body)' }): unknown {
  return new Reader(text, source).parse();
}
