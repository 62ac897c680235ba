import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** better-sqlite3's addon built for Electron, which `npm run setup` puts in native/electron/ of the
 * checkout (scripts/electron-sqlite.mjs): the one npm built is for the machine's Node and cannot
 * load here. A packaged app has its own, rebuilt by electron-builder, and needs none. */
export function electronSqliteBinding(appRoot: string, packaged: boolean): string | undefined {
  if (packaged) return undefined;
  const binding = join(appRoot, 'native', 'electron', 'better_sqlite3.node');
  return existsSync(binding) ? binding : undefined;
}
