// Loaded before every test file (vitest.config.ts): the tests run only inside the operator network
// namespace that test/run.mjs made for this run, which has no route out of the lab. Some tests
// send the spec's own examples, which name real private addresses (10.30.100.x); run anywhere
// else, they would reach for them on a real network.
import { statSync } from 'node:fs';

const op = process.env.TOPKE_LAB_OP_NS;
const inode = (path: string): number | undefined => {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
};
const here = inode('/proc/self/ns/net');
if (!op || here === undefined || inode(`/run/netns/${op}`) !== here)
  throw new Error(
    'the tests run only inside the network namespace test/run.mjs makes, which has no route ' +
      'out: run them with `npm test` (as root), e.g. `npm test -- --quick test/core`',
  );
