import { TopkeError } from '../contract/errors.js';

/** The offline bundle is unusable: names the bundle file at fault, in English and Chinese. */
export function bundleInvalid(file: string, message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'bundle_invalid',
    field: 'bundle_path',
    message: `offline bundle: ${file}: ${message}`,
    messageCn: `离线安装包：${file}：${messageCn}`,
  });
}
