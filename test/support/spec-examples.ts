// The spec's examples, read out of its markdown at test time: per operation, the method, the
// request's URL and JSON body, and the JSON of the normal answer. Both are parsed as the product
// parses a request body (JSON with trailing commas and comments), since the spec writes them with
// trailing commas: a spec example the product could not read fails here.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRequestJson } from '../../main/contract/request-json.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The copy kept in the repository (what CI has), and the original beside the checkout. */
export const SPEC_COPY = join(ROOT, 'docs', 'spec', 'topke-cluster-api.md');
export const SPEC_ORIGINAL = join(ROOT, '..', 'shared', 'spec', 'topke-cluster-api.md');

export interface SpecExample {
  /** The operation's path under /v1/topke/cluster, e.g. "deploy/status/inspect". */
  operation: string;
  method: 'GET' | 'POST';
  /** The request example's URL, as the spec writes it (query string included). */
  url: string;
  /** The request body's text exactly as written (trailing commas included), or null. */
  requestText: string | null;
  request: unknown;
  /** The normal answer, or null where the spec shows none. */
  response: unknown;
}

/** The text of the first ``` block of `part`, or null when it has none. */
function firstBlock(part: string): string | null {
  const m = /```[^\n]*\n([\s\S]*?)```/.exec(part);
  return m ? m[1]!.trim() : null;
}

/** The part of `section` from the `#### title` line up to the next heading. */
function subsection(section: string, title: string): string {
  const start = section.indexOf(`#### ${title}`);
  if (start < 0) return '';
  const rest = section.slice(start + title.length + 5);
  const end = rest.search(/^#{2,4} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

function exampleOf(operation: string, section: string): SpecExample {
  const method = /### 请求类型\s+(GET|POST)/.exec(section)?.[1];
  if (method !== 'GET' && method !== 'POST') throw new Error(`${operation}: no request method`);
  const request = subsection(section, '请求示例');
  const url = /^(https?:\/\/\S+)$/m.exec(request)?.[1];
  if (!url) throw new Error(`${operation}: no request URL`);
  const requestText = firstBlock(request);
  const responseText = firstBlock(subsection(section, '正常返回示例'));
  return {
    operation,
    method,
    url,
    requestText,
    request: requestText === null ? null : parseRequestJson(requestText),
    response: responseText === null ? null : parseRequestJson(responseText),
  };
}

/** Every operation of the spec's markdown, by its path under /v1/topke/cluster. */
export function parseSpecExamples(markdown: string): Map<string, SpecExample> {
  const out = new Map<string, SpecExample>();
  const parts = markdown.split(/^## \/v1\/topke\/cluster\/(\S+)\s*$/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i]!, exampleOf(parts[i]!, parts[i + 1]!));
  return out;
}

export function readSpecExamples(): Map<string, SpecExample> {
  return parseSpecExamples(readFileSync(SPEC_COPY, 'utf8'));
}

/** The original spec's text when it is beside the checkout (it is not on a CI machine). */
export function originalSpec(): string | null {
  return existsSync(SPEC_ORIGINAL) ? readFileSync(SPEC_ORIGINAL, 'utf8') : null;
}
