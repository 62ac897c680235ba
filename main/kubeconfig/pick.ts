import { invalidField, TopkeError } from '../contract/errors.js';
import type { Notice } from '../contract/results.js';
import type { ContextEntry } from './context-entry.js';
import type { ReadKubeconfig } from './read.js';

export interface Picked {
  contexts: ContextEntry[];
  warnings: Notice[];
}

function noContexts(): TopkeError {
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field: 'kube_config_data',
    message: 'kube_config_data: the kubeconfig has no contexts: nothing to import',
    messageCn: 'kube_config_data：该 kubeconfig 中没有任何上下文（context），无可导入内容',
  });
}

/** A context that cannot be imported: its first problem, all of them in details. */
export function unusable(context: ContextEntry): TopkeError {
  const first = context.problems[0]!;
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field: first.field,
    message: `context "${context.name}": ${first.message}`,
    messageCn: `上下文 “${context.name}”：${first.messageCn}`,
    details: context.problems,
  });
}

function named(read: ReadKubeconfig, wanted: string[]): ContextEntry[] {
  const all = read.contexts.map((c) => c.name).join(', ');
  return wanted.map((name, i) => {
    const found = read.contexts.find((c) => c.name === name);
    if (!found)
      throw invalidField(
        `contexts[${i}]`,
        `there is no context "${name}"; the kubeconfig has: ${all}`,
        `不存在上下文 “${name}”；该 kubeconfig 包含：${all}`,
      );
    if (found.problems.length > 0) throw unusable(found);
    return found;
  });
}

/** What an import takes when the request names no context: the current context, or every valid
 * context when none is current. */
export function defaultContexts(read: ReadKubeconfig): Picked {
  const current = read.contexts.find((c) => c.name === read.currentContext);
  if (current) return { contexts: [current], warnings: [] };
  const warnings: Notice[] = read.currentContext
    ? [
        {
          message: `current-context "${read.currentContext}" is not among the contexts; every valid context is imported`,
          message_cn: `current-context “${read.currentContext}” 不在上下文列表中；将导入所有有效上下文`,
        },
      ]
    : [];
  return { contexts: read.contexts.filter((c) => c.problems.length === 0), warnings };
}

/** The contexts an import takes: those named in the request, or the default ones; each must be
 * valid, and there must be at least one. */
export function pickContexts(read: ReadKubeconfig, wanted: string[] | undefined): Picked {
  if (read.contexts.length === 0) throw noContexts();
  if (wanted && wanted.length > 0) return { contexts: named(read, wanted), warnings: [] };
  const picked = defaultContexts(read);
  const broken = picked.contexts.find((c) => c.problems.length > 0);
  if (broken) throw unusable(broken);
  if (picked.contexts.length === 0) throw unusable(read.contexts[0]!);
  return picked;
}
