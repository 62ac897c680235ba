import { createHash } from 'node:crypto';
import { shellQuote } from '../ssh/quote.js';
import type { Remote } from './remote.js';

export interface HostFile {
  path: string;
  content: string | Buffer;
  mode: number;
}

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');

/** Shell lines that stop with exit 3 when any of the paths exists and belongs to an OS package
 * (dpkg or rpm): TopKE installs beside the package manager, never over it. */
export function refuseOwnedScript(paths: string[]): string {
  return `set --
for f in ${paths.map(shellQuote).join(' ')}; do [ -e "$f" ] && set -- "$@" "$f"; done
if [ $# -gt 0 ]; then
  owners=''
  if command -v dpkg-query >/dev/null 2>&1; then owners=$(dpkg-query -S "$@" 2>/dev/null || true)
  elif command -v rpm >/dev/null 2>&1; then owners=$(rpm -qf "$@" 2>/dev/null | grep -v 'is not owned' || true); fi
  if [ -n "$owners" ]; then
    echo "these files belong to OS packages and TopKE does not replace them; remove the packages first:" >&2
    echo "$owners" >&2
    exit 3
  fi
fi
`;
}

function writeOne(file: HostFile): string {
  const content = Buffer.from(file.content);
  const sha = createHash('sha256').update(content).digest('hex');
  const body = content.toString('base64').replace(/.{1,76}/g, '$&\n');
  return `f=${shellQuote(file.path)}
if [ -f "$f" ] && [ "$(sha256sum < "$f" | cut -c1-64)" = ${sha} ]; then chmod ${octal(file.mode)} "$f"; echo "same $f"
else
mkdir -p "$(dirname "$f")"
t="$f.topke-new.$$"
base64 -d > "$t" <<'TOPKE_FILE_END'
${body}TOPKE_FILE_END
chmod ${octal(file.mode)} "$t" && mv -f "$t" "$f" && echo "wrote $f"
fi
`;
}

/** Writes small files as root in one round trip (the script travels on stdin, so no content is
 * ever on a command line); files already identical are left alone. Returns the paths written. */
export async function writeHostFiles(
  remote: Remote,
  files: HostFile[],
  label?: string,
): Promise<string[]> {
  const script = `set -e\n${refuseOwnedScript(files.map((f) => f.path))}${files.map(writeOne).join('')}`;
  const result = await remote.run('sh -s', {
    stdin: script,
    label: label ?? `write ${files.map((f) => f.path).join(', ')}`,
    // Each file goes to a side name of its own run and is renamed into place: running it again,
    // even while a cut-off first run still goes on, does no harm.
    idempotent: true,
  });
  return [...result.stdout.matchAll(/^wrote (.+)$/gm)].map((m) => m[1]!);
}
