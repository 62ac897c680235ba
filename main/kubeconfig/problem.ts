/** Why one entry of a kubeconfig cannot be used: the field at fault and a sentence in both languages. */
export interface Problem {
  field: string;
  message: string;
  messageCn: string;
}

export function problemAt(field: string, message: string, messageCn: string): Problem {
  return { field, message: `${field}: ${message}`, messageCn: `${field}：${messageCn}` };
}

/** Field names as kubectl users know them, with the entry's name: clusters["prod"].cluster.server. */
export function entryField(
  list: 'clusters' | 'users' | 'contexts',
  name: string,
  rest = '',
): string {
  const body = { clusters: 'cluster', users: 'user', contexts: 'context' }[list];
  return `${list}[${JSON.stringify(name)}]${rest ? `.${body}.${rest}` : ''}`;
}
