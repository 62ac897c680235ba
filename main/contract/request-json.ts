import { printParseErrorCode, visit, type JSONVisitor } from 'jsonc-parser';
import { invalidField, type TopkeError } from './errors.js';
import { readNumber, type Pair } from './json-numbers.js';
import { ENDS_EARLY, syntaxMessage, tooDeep, type SyntaxErrorName } from './json-syntax.js';
import { pathOf } from './validate.js';

/** Deeper than any request: the limit keeps a hostile body from exhausting the stack. */
const MAX_DEPTH = 64;

/** A number or bare word, read whole: the parser ends 0x20FB after its 0, 0755 after its 0. */
const WORD = /[A-Za-z0-9_$+\-.]+/y;

/** Errors at a word that may be a number JSON does not write (+1, .5, 5., Infinity, -NaN). */
const NUMBER_WORDS = new Set<SyntaxErrorName>(['InvalidSymbol', 'UnexpectedEndOfNumber']);

/** What the text is, for its errors: the field a syntax error names, and a name said first (a
 * plan file's path). */
export interface JsonSource {
  field: string;
  name?: string;
}

/** Where the parser is: offset, and line and column counted from 1. */
interface At {
  offset: number;
  line: number;
  column: number;
}

function at(offset: number, line: number, character: number): At {
  return { offset, line: line + 1, column: character + 1 };
}

/** An object or array being filled: where it is in its parent, and the key its next value goes
 * under (none while a key is awaited). */
interface Open {
  value: Record<string, unknown> | unknown[];
  place?: string | number;
  key?: string | undefined;
}

/** Builds the value from jsonc-parser's events, and turns its first error into the refusal. */
class Builder {
  private readonly open: Open[] = [];
  private root: unknown;

  constructor(
    private readonly text: string,
    private readonly source: JsonSource,
  ) {}

  parse(): unknown {
    visit(this.text, this.visitor(), { allowTrailingComma: true });
    return this.root;
  }

  /** The first error throws out of the parser: it does not go on past it (its own recovery), nor
   * deeper than the limit. */
  private visitor(): JSONVisitor {
    return {
      onObjectBegin: (offset, _, line, char) => this.begin({}, at(offset, line, char)),
      onArrayBegin: (offset, _, line, char) => this.begin([], at(offset, line, char)),
      onObjectEnd: () => void this.open.pop(),
      onArrayEnd: () => void this.open.pop(),
      onObjectProperty: (key: string) => void (this.open.at(-1)!.key = key),
      onLiteralValue: (value: unknown, offset, _, line, char) => {
        const where = at(offset, line, char);
        this.add(typeof value === 'number' ? this.number(where) : value, where);
      },
      onError: (code, offset, _, line, char) => {
        throw this.refusal(printParseErrorCode(code), at(offset, line, char));
      },
    };
  }

  private begin(value: Open['value'], where: At): void {
    const place = this.nextPlace();
    this.add(value, where);
    this.open.push({ value, place });
  }

  private add(value: unknown, where: At): void {
    if (this.open.length > MAX_DEPTH) throw this.syntax(where, tooDeep(MAX_DEPTH));
    const top = this.open.at(-1);
    if (!top) this.root = value;
    else if (Array.isArray(top.value)) top.value.push(value);
    else {
      if (Object.hasOwn(top.value, top.key!)) throw this.givenTwice(where);
      // Defined, not assigned: a key "__proto__" stays a key and sets no prototype, as in
      // JSON.parse.
      const property = { value, writable: true, enumerable: true, configurable: true };
      Object.defineProperty(top.value, top.key!, property);
      top.key = undefined;
    }
  }

  /** A key given twice in one object: JSON.parse keeps the last, and the engineer may have meant
   * the first, so neither is guessed. */
  private givenTwice(where: At): TopkeError {
    const { line, column } = where;
    return invalidField(
      this.field(),
      `is given twice in one object (the second at line ${line}, column ${column}): keep one`,
      `在同一对象中出现了两次（第二次在第 ${line} 行第 ${column} 列）：请只保留一个`,
    );
  }

  /** A number as written, judged by json-numbers: the whole word at the literal, not only what
   * the parser took of it. */
  private number(where: At): number {
    const judged = readNumber(this.wordAt(where.offset));
    if (judged && 'value' in judged) return judged.value;
    if (judged) throw invalidField(this.field(), ...judged.wrong);
    throw this.refusal('InvalidSymbol', where);
  }

  /** The refusal for a syntax error, or for the number JSON does not write that caused it. */
  private refusal(name: SyntaxErrorName, where: At): TopkeError {
    const atKey = this.atKey();
    const judged = NUMBER_WORDS.has(name) && !atKey ? readNumber(this.wordAt(where.offset)) : null;
    if (judged && 'wrong' in judged) return invalidField(this.field(), ...judged.wrong);
    if (where.offset >= this.text.length) return this.syntax(where, ENDS_EARLY);
    const found =
      this.wordAt(where.offset) || String.fromCodePoint(this.text.codePointAt(where.offset)!);
    const close = Array.isArray(this.open.at(-1)?.value) ? ']' : '}';
    return this.syntax(where, syntaxMessage(name, found, { key: atKey, close }));
  }

  private wordAt(offset: number): string {
    WORD.lastIndex = offset;
    return WORD.exec(this.text)?.[0] ?? '';
  }

  /** Inside an object with no key read for its next value. */
  private atKey(): boolean {
    const top = this.open.at(-1);
    return top !== undefined && !Array.isArray(top.value) && top.key === undefined;
  }

  /** The field the next value is: `a.b[1]`, or the source's own name at the top. */
  private field(): string {
    if (!this.open.length) return this.source.field;
    return pathOf([...this.open.slice(1).map((o) => o.place!), this.nextPlace()!]);
  }

  private nextPlace(): string | number | undefined {
    const top = this.open.at(-1);
    return Array.isArray(top?.value) ? top.value.length : top?.key;
  }

  private syntax(where: At, [en, cn]: Pair): TopkeError {
    const { line, column } = where;
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
  return new Builder(text, source).parse();
}
