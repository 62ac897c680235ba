import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createServices, type Services } from '../../main/api.js';
import { TopkeError } from '../../main/contract/errors.js';
import { createContext, type ServiceContext } from '../../main/context.js';

/** The product's services over a fresh data folder. */
export interface Product {
  dir: string;
  ctx: ServiceContext;
  services: Services;
  close(): Promise<void>;
}

export function startProduct(): Product {
  process.env.TOPKE_LOG_LEVEL ??= 'warn';
  const dir = mkdtempSync(join(tmpdir(), 'topke-registry-'));
  const ctx = createContext(dir, { logToFile: false });
  const services = createServices(ctx);
  return {
    dir,
    ctx,
    services,
    async close() {
      await services.close();
      ctx.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The TopkeError a call rejects with. */
export async function failure(call: Promise<unknown>): Promise<TopkeError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TopkeError);
  return err as TopkeError;
}

/** Has Chinese characters: the Chinese sentence is really there, not the English one twice. */
export const CHINESE = /[\u4e00-\u9fff]/;
