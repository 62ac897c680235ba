import { TopkeError } from '../contract/errors.js';

/** Network failures: the server (or its proxy) is not reachable from here, which an air-gapped
 * laptop often is not; the kubeconfig itself may be fine. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** The server's certificate is not trusted by the kubeconfig's certificate authority. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'INVALID_CA',
]);

export interface ProbeFields {
  server: string;
  cluster: string;
  user: string;
  proxy: string | undefined;
  tlsServerName: string | undefined;
  hasCa: boolean;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

export function unreachable(fields: ProbeFields, why: string, whyCn = why): TopkeError {
  const via = fields.proxy ? ` through the proxy ${fields.proxy}` : '';
  const viaCn = fields.proxy ? `（经代理 ${fields.proxy}）` : '';
  return new TopkeError({
    code: 'unreachable',
    field: `${fields.cluster}.cluster.server`,
    message: `${fields.cluster}.cluster.server: ${fields.server} is unreachable${via}: ${why}`,
    messageCn: `${fields.cluster}.cluster.server：无法连接 ${fields.server}${viaCn}：${whyCn}`,
  });
}

export function probeInvalid(field: string, message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field,
    message: `${field}: ${message}`,
    messageCn: `${field}：${messageCn}`,
  });
}

function tlsError(err: unknown, code: string, fields: ProbeFields): TopkeError | null {
  const at = (key: string) => `${fields.cluster}.cluster.${key}`;
  if (UNTRUSTED.has(code) && !fields.hasCa)
    return probeInvalid(
      at('certificate-authority-data'),
      `is not given, and the system does not trust the API server's certificate (${code}): add the cluster's CA`,
      `未提供，且系统不信任 API Server 的证书（${code}）：请添加集群的 CA`,
    );
  if (UNTRUSTED.has(code))
    return probeInvalid(
      at('certificate-authority-data'),
      `the API server's certificate is not signed by this certificate authority (${code})`,
      `API Server 的证书不是由该 CA 签发的（${code}）`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = String((err as { reason?: unknown }).reason ?? '');
    return probeInvalid(
      at(fields.tlsServerName ? 'tls-server-name' : 'server'),
      `the API server's certificate does not match the name: ${reason}; set tls-server-name to a name the certificate holds`,
      `API Server 的证书与名称不匹配：${reason}；请将 tls-server-name 设为证书中的名称`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return probeInvalid(
      at('server'),
      `the API server's certificate is outside its validity period (${code})`,
      `API Server 的证书不在有效期内（${code}）`,
    );
  if (/^ERR_SSL_.*ALERT/.test(code))
    return probeInvalid(
      fields.user,
      `the API server refused the TLS client credentials (${code})`,
      `API Server 拒绝了 TLS 客户端凭据（${code}）`,
    );
  return null;
}

/** Turns a failed /version request into an error naming the field at fault. */
export function classifyProbeError(err: unknown, fields: ProbeFields): TopkeError {
  if (err instanceof TopkeError) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (UNREACHABLE.has(code)) return unreachable(fields, `${message.split('\n')[0]} (${code})`);
  const tls = tlsError(err, code, fields);
  if (tls) return tls;
  if (/proxy|socks|Bad response/i.test(message)) return unreachable(fields, message);
  return probeInvalid(
    `${fields.cluster}.cluster.server`,
    `the request to /version failed: ${message.split('\n')[0]}${code ? ` (${code})` : ''}`,
    `请求 /version 失败：${message.split('\n')[0]}${code ? `（${code}）` : ''}`,
  );
}

/** An answer other than 200 from /version. */
export function statusError(status: number, fields: ProbeFields): TopkeError {
  if (status === 401)
    return probeInvalid(
      fields.user,
      'the API server refused these credentials (HTTP 401 Unauthorized)',
      'API Server 拒绝了该凭据（HTTP 401 未授权）',
    );
  if (status === 403)
    return probeInvalid(
      fields.user,
      'this user may not read /version (HTTP 403 Forbidden)',
      '该用户无权读取 /version（HTTP 403 禁止访问）',
    );
  if (status === 502 || status === 503 || status === 504)
    return unreachable(fields, `answered HTTP ${status}`, `返回 HTTP ${status}`);
  return probeInvalid(
    `${fields.cluster}.cluster.server`,
    `answered /version with HTTP ${status}: not a Kubernetes API server?`,
    `/version 返回 HTTP ${status}：可能不是 Kubernetes API Server`,
  );
}
