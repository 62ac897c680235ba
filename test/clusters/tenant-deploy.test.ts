/**
 * A deploy names its tenant: one that does not exist is refused as list, get and import refuse
 * it, before anything is recorded and before any host is reached. (The address of the plan is in
 * the run's own namespace, where no host has it: the deploy that is let through fails there.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import {
  deployPlan,
  discardProduct,
  startProduct,
  waitForDeploy,
  type Product,
} from '../deploy/harness.js';

const UNKNOWN = 'abcdef00-0000-4000-8000-0000000000aa';

describe('deploy into a tenant', () => {
  let product: Product;
  let bundle: TestBundle;

  beforeAll(async () => {
    bundle = await buildTestBundle();
    product = startProduct();
  });

  afterAll(async () => {
    if (product) await discardProduct(product);
    bundle?.remove();
  });

  function count(table: string): number {
    return (product.ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  it('refuses an unknown tenant, naming tenant_uuid, and records nothing', async () => {
    const plan = deployPlan('orphan', [{ ip: '198.18.250.11' }], [], bundle.dir, {
      tenant_uuid: UNKNOWN,
    });
    await expect(product.services.api.deploy(plan)).rejects.toMatchObject({
      code: 'not_found',
      field: 'tenant_uuid',
      message: `tenant ${UNKNOWN} was not found`,
      messageCn: `未找到租户 ${UNKNOWN}`,
    });
    expect([count('clusters'), count('deploys')]).toEqual([0, 0]);
  });

  it('deploys into a tenant that exists', async () => {
    const tenant = await product.services.api.tenantCreate({ name: 'site-c' });
    const plan = deployPlan('placed', [{ ip: '198.18.250.11' }], [], bundle.dir, {
      tenant_uuid: tenant.uuid,
    });
    const { uuid } = await product.services.api.deploy(plan);
    const listed = await product.services.api.clusterList({ tenant_uuid: tenant.uuid });
    expect(listed.list.map((c) => [c.uuid, c.tenant_name])).toEqual([[uuid, 'site-c']]);
    expect((await waitForDeploy(product, uuid)).tenant_uuid).toBe(tenant.uuid);
  });
});
