// What the import tests share: a test CA, an admin client certificate, and stand-in API servers
// on 127.0.0.1 (one with a certificate for 127.0.0.1, one only for another name).
import { closedPort, startApiServer, type StandInApiServer } from '../support/apiserver.js';
import { createTestPki, type KeyPair, type TestPki } from './pki.js';

export const TOKEN = 'tok-7f3a9c2e41d8b6a0';
export const BASIC = { user: 'ops', password: 'pa55-w0rd-basic' };
export const OTHER_NAME = 'api.internal.example';

export interface Fixture {
  pki: TestPki;
  admin: KeyPair;
  /** Certificate for 127.0.0.1 and "kubernetes"; client certificates, the token, basic auth. */
  api: StandInApiServer;
  /** Certificate for OTHER_NAME only. */
  named: StandInApiServer;
  /** Anonymous /version allowed, for contexts without a user and for insecure checks. */
  open: StandInApiServer;
  closedPort: number;
  close(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const pki = createTestPki();
  const admin = pki.client('kubernetes-admin', 'system:masters');
  const serving = pki.server({ ips: ['127.0.0.1'], dns: ['kubernetes'] });
  const api = await startApiServer({
    ...serving,
    clientCa: pki.ca.cert,
    tokens: [TOKEN],
    basic: [BASIC],
  });
  const named = await startApiServer({
    ...pki.server({ dns: [OTHER_NAME] }),
    clientCa: pki.ca.cert,
    gitVersion: 'v1.29.6',
  });
  const open = await startApiServer({ ...serving, anonymous: true, gitVersion: 'v1.28.11' });
  return {
    pki,
    admin,
    api,
    named,
    open,
    closedPort: await closedPort(),
    async close() {
      await Promise.all([api.close(), named.close(), open.close()]);
      pki.cleanup();
    },
  };
}
