import { TopkeError } from '../contract/errors.js';

/** How the kubeconfig arrived: base64 of the file's bytes (the spec's form), or its YAML text. */
export type KubeconfigEncoding = 'base64' | 'yaml';

export interface DecodedKubeconfig {
  text: string;
  encoding: KubeconfigEncoding;
  /** The character set of the file's bytes, after the base64 layer. */
  charset: 'utf-8' | 'utf-16le' | 'utf-16be';
  hadBom: boolean;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** True when the text, without line breaks and spaces, is nothing but base64. */
function looksLikeBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length >= 8 && BASE64.test(compact);
}

/** Heuristic for UTF-16 without a byte order mark: ASCII text leaves every other byte zero. */
function zeroBytesAt(bytes: Buffer, parity: 0 | 1): boolean {
  const sample = bytes.subarray(0, 256);
  if (sample.length < 8) return false;
  let zeros = 0;
  for (let i = parity; i < sample.length; i += 2) if (sample[i] === 0) zeros++;
  return zeros >= sample.length / 2 - 2;
}

function utf16be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return swapped.swap16().toString('utf16le');
}

/** Reads a file's bytes as text: UTF-8 (BOM stripped) or UTF-16 in either byte order. */
export function bytesToText(bytes: Buffer): Pick<DecodedKubeconfig, 'text' | 'charset' | 'hadBom'> {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: bytes.subarray(2).toString('utf16le'), charset: 'utf-16le', hadBom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: utf16be(bytes.subarray(2)), charset: 'utf-16be', hadBom: true };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString('utf8'), charset: 'utf-8', hadBom: true };
  if (zeroBytesAt(bytes, 1))
    return { text: bytes.toString('utf16le'), charset: 'utf-16le', hadBom: false };
  if (zeroBytesAt(bytes, 0)) return { text: utf16be(bytes), charset: 'utf-16be', hadBom: false };
  return { text: bytes.toString('utf8'), charset: 'utf-8', hadBom: false };
}

const KEY = `["']?(apiVersion|kind|clusters|contexts|users|current-context)["']?\\s*:`;
const KEY_AT_LINE_START = new RegExp(`^\\s*${KEY}`, 'm');
const KEY_IN_JSON = new RegExp(`[{,]\\s*${KEY}`);

/** A kubeconfig is a YAML (or JSON) mapping; these keys tell it apart from any other text. JSON
 * may be written on one line (`kubectl config view -o json | jq -c`): there a key follows `{`. */
function looksLikeKubeconfig(text: string): boolean {
  if (KEY_AT_LINE_START.test(text)) return true;
  return /^\s*\{/.test(text) && KEY_IN_JSON.test(text);
}

function neither(field: string): TopkeError {
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field,
    message: `${field}: is neither base64 nor kubeconfig YAML (expected "apiVersion:", "clusters:", "contexts:" or "users:")`,
    messageCn: `${field}：既不是 base64，也不是 kubeconfig YAML（应包含 “apiVersion:”、“clusters:”、“contexts:” 或 “users:”）`,
  });
}

/** Accepts base64 (wrapped or not, of UTF-8 with or without a BOM, or of UTF-16) or plain YAML,
 * and says which it was; anything else is refused naming `field`. */
export function decodeKubeconfig(data: string, field = 'kube_config_data'): DecodedKubeconfig {
  const unmarked = data.replace(/^\uFEFF/, '');
  if (looksLikeBase64(unmarked)) {
    const decoded = bytesToText(Buffer.from(unmarked.replace(/\s+/g, ''), 'base64'));
    if (looksLikeKubeconfig(decoded.text)) return { ...decoded, encoding: 'base64' };
    throw neither(field);
  }
  if (looksLikeKubeconfig(unmarked))
    return { text: unmarked, encoding: 'yaml', charset: 'utf-8', hadBom: unmarked !== data };
  throw neither(field);
}
