// Kept apart from harness.ts, which the bench imports outside vitest.
import { afterAll, beforeAll } from 'vitest';
import type { TestBundle } from '../lab/bundle.js';
import type { HostSpec } from '../lab/lab.js';
import { startDeployFixture, type DeployFixture } from './harness.js';

/** Starts a deploy fixture (see startDeployFixture) before the tests of the suite it is called
 * in, hands it to `use` once it is up, and tears it down after the last test. */
export function deployFixtureHooks(
  subnet: number,
  hosts: HostSpec[],
  makeBundle: (() => Promise<TestBundle>) | undefined,
  use: (fixture: DeployFixture) => void,
): void {
  let fixture: DeployFixture | undefined;
  beforeAll(async () => {
    fixture = await startDeployFixture(subnet, hosts, makeBundle);
    use(fixture);
  });
  afterAll(() => fixture?.teardown());
}
