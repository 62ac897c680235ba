/** The spec carries kubeconfigs as base64 (`kube_config_data`); plain YAML is passed as is. */
export function kubeconfigText(data: string | undefined): string {
  if (!data) return '';
  if (/^\s*(apiVersion|kind|clusters|current-context)\s*:/m.test(data)) return data;
  try {
    const bytes = Uint8Array.from(atob(data.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return data;
  }
}

/** Bytes as base64, for kube_config_data; the service detects BOMs and UTF-16 itself. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
