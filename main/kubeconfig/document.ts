import { parse, YAMLParseError, type ErrorCode } from 'yaml';
import { TopkeError } from '../contract/errors.js';

/** A kubeconfig as written, before any entry is checked. */
export interface RawKubeconfig {
  clusters: unknown[];
  users: unknown[];
  contexts: unknown[];
  currentContext: string;
}

function invalid(field: string, message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field,
    message: `${field}: ${message}`,
    messageCn: `${field}：${messageCn}`,
  });
}

/** What each of the parser's error codes means, in Chinese (the parser speaks English only). */
const YAML_ERRORS_CN: Record<ErrorCode, string> = {
  ALIAS_PROPS: '别名不能带有标签或锚点',
  BAD_ALIAS: '别名无效',
  BAD_DIRECTIVE: '指令无效',
  BAD_DQ_ESCAPE: '双引号字符串中的转义序列无效',
  BAD_INDENT: '缩进错误',
  BAD_PROP_ORDER: '锚点与标签的顺序错误',
  BAD_SCALAR_START: '值的开头字符无效',
  BLOCK_AS_IMPLICIT_KEY: '嵌套的映射不能写在紧凑映射的键中',
  BLOCK_IN_FLOW: '流式集合（[] 或 {}）中不能包含块结构',
  DUPLICATE_KEY: '映射中的键重复',
  IMPOSSIBLE: '解析器内部错误',
  KEY_OVER_1024_CHARS: '隐式键超过 1024 个字符',
  MISSING_CHAR: '缺少字符（引号或括号未闭合）',
  MULTILINE_IMPLICIT_KEY: '隐式键不能跨多行',
  MULTIPLE_ANCHORS: '一个节点有多个锚点',
  MULTIPLE_DOCS: '包含多个 YAML 文档（---），kubeconfig 只能有一个',
  MULTIPLE_TAGS: '一个节点有多个标签',
  NON_STRING_KEY: '键不是字符串',
  RESOURCE_EXHAUSTION: '别名展开过多，疑似资源耗尽攻击，已拒绝',
  TAB_AS_INDENT: '不能用制表符（Tab）缩进',
  TAG_RESOLVE_FAILED: '标签无法解析',
  UNEXPECTED_TOKEN: '存在意外的符号',
  BAD_COLLECTION_TYPE: '集合类型错误',
};

/** The parser's first line only: later lines quote the source, which may hold a key or token. */
function yamlProblem(err: YAMLParseError, field: string): TopkeError {
  const first = (err.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
  const at = err.linePos?.[0];
  const where = at ? `第 ${at.line} 行第 ${at.col} 列：` : '';
  const why = YAML_ERRORS_CN[err.code] ?? '语法错误';
  return invalid(field, `is not valid YAML: ${first}`, `不是有效的 YAML：${where}${why}`);
}

/** The parser throws a ReferenceError for an alias it cannot or will not expand. */
function aliasProblem(err: ReferenceError, field: string): TopkeError {
  const excessive = /excessive alias/i.test(err.message);
  return invalid(
    field,
    excessive
      ? 'is not valid YAML: its aliases expand too much (a resource exhaustion attack?)'
      : `is not valid YAML: ${err.message.split('\n')[0]}`,
    excessive
      ? '不是有效的 YAML：别名展开过多（疑似资源耗尽攻击），已拒绝'
      : '不是有效的 YAML：别名引用了未定义的锚点（锚点必须在别名之前定义）',
  );
}

function listAt(doc: Record<string, unknown>, key: string, field: string): unknown[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${field}.${key}`, 'must be a list', '应为列表');
  return value;
}

/** Parses the YAML (or JSON) text of a kubeconfig into its three lists and its current context. */
export function readKubeconfigDocument(text: string, field = 'kube_config_data'): RawKubeconfig {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof YAMLParseError) throw yamlProblem(err, field);
    if (err instanceof ReferenceError) throw aliasProblem(err, field);
    throw err;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw invalid(
      field,
      'is not a kubeconfig: the YAML is not a mapping',
      '不是 kubeconfig：YAML 不是映射',
    );
  const map = doc as Record<string, unknown>;
  const current = map['current-context'];
  return {
    clusters: listAt(map, 'clusters', field),
    users: listAt(map, 'users', field),
    contexts: listAt(map, 'contexts', field),
    currentContext: typeof current === 'string' ? current : '',
  };
}
