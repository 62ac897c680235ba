import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInfo, HostKeyChangedDetails } from '../../main/contract/results.js';
import type { BridgeAnswer } from '../../main/electron/bridge.js';
import { registerIpcHandlers, type IpcMainLike } from '../../main/electron/ipc.js';
import { createHttpServer } from '../../main/transport/http.js';
import {
  deployPlan,
  ROOT_PASSWORD,
  startDeployFixture,
  startProduct,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from '../deploy/harness.js';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab, LabHost } from '../lab/lab.js';
import { rejection } from '../support/errors.js';
import { keygenFingerprint, rekeyHost } from './rekey.js';

const SSH = { user: 'root', password: ROOT_PASSWORD };

/** The envelope as a test reads it. */
interface Envelope {
  status?: number;
  message: string;
  message_cn: string;
  data: Record<string, unknown> | null;
  error?: { code: string; field?: string; details?: unknown };
}
const TOKEN = 'hostkey-token-0123456789';

describe('host keys for the engineer', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let product: Product;
  let hosts: Record<'api' | 'http' | 'other' | 'closed', LabHost>;
  const recorded = new Map<string, string>();
  let fixture: DeployFixture | undefined;

  const scan = async (host: LabHost): Promise<HostInfo> => {
    const result = await product.services.api.hostScan({ targets: [host.ip], ssh: SSH });
    expect(result.hosts_info).toHaveLength(1);
    return result.hosts_info[0]!;
  };
  const preflight = (host: LabHost) =>
    product.services.api.preflight({ master_list: [{ IP: host.ip }], ssh: SSH, arch: 'amd64' });
  const listed = async (host: LabHost) =>
    (await product.services.api.knownHostList({ host: host.ip })).list;

  beforeAll(async () => {
    fixture = await startDeployFixture(90, [
      { octet: 11, hostname: 'hk-api', rootPassword: ROOT_PASSWORD },
      { octet: 12, hostname: 'hk-http', rootPassword: ROOT_PASSWORD },
      { octet: 13, hostname: 'hk-other', rootPassword: ROOT_PASSWORD },
      { octet: 14, service: 'none' },
    ]);
    ({ lab, bundle, product } = fixture);
    hosts = { api: lab.host(11), http: lab.host(12), other: lab.host(13), closed: lab.host(14) };
  });

  afterAll(() => fixture?.teardown());

  it('records each key on the first scan and shows its SHA256 fingerprint', async () => {
    const started = Math.floor(Date.now() / 1000);
    const result = await product.services.api.hostScan({
      targets: [hosts.api.ip, hosts.http.ip, hosts.other.ip],
      ssh: SSH,
    });
    for (const host of [hosts.api, hosts.http, hosts.other]) {
      const info = result.hosts_info.find((h) => h.ip === host.ip)!;
      const fingerprint = keygenFingerprint(host);
      expect(info.login).toEqual({ ok: true });
      expect(info.facts?.host_key).toEqual({
        key_type: 'ssh-ed25519',
        fingerprint,
        first_contact: true,
      });
      const [entry] = await listed(host);
      expect(entry).toEqual({
        host: host.ip,
        port: 22,
        key_type: 'ssh-ed25519',
        fingerprint,
        first_seen: expect.any(Number),
        changed: null,
      });
      expect(entry!.first_seen).toBeGreaterThanOrEqual(started);
      recorded.set(host.ip, fingerprint);
    }
    // Seen again, the key matches and is not new.
    expect((await scan(hosts.api)).facts?.host_key).toMatchObject({ first_contact: false });
  });

  describe('a host whose key changed', () => {
    let old: string;
    let fresh: string;

    beforeAll(async () => {
      old = recorded.get(hosts.api.ip)!;
      fresh = await rekeyHost(hosts.api);
    });

    it('stops a preflight with host_key_changed naming the host and both fingerprints', async () => {
      expect(fresh).not.toBe(old);
      const err = await rejection(preflight(hosts.api));
      expect(err.code).toBe('host_key_changed');
      expect(err.details).toMatchObject({
        kind: 'host_key_changed',
        host: hosts.api.ip,
        port: 22,
        hostKey: {
          keyType: 'ssh-ed25519',
          fingerprint: fresh,
          knownKeyType: 'ssh-ed25519',
          knownFingerprint: old,
        },
      } satisfies Partial<HostKeyChangedDetails>);
      expect(err.message).toContain(hosts.api.ip);
      expect(err.message).toContain(old);
      expect(err.message).toContain(fresh);
    });

    it('fails a deploy at "connect", before anything runs on the host', async () => {
      const callsLog = 'cat /var/lib/topke-standin/calls.log 2>/dev/null || true';
      const calls = hosts.api.exec(callsLog);
      const plan = deployPlan('hk90', [hosts.api], [], bundle.archive);
      const { uuid } = await product.services.api.deploy(plan);
      const status = await waitForDeploy(product, uuid);
      expect(status.DeployStage.State).toBe('failed');
      expect(status.err_info).toContain(`${hosts.api.ip} (m-11) step "connect" failed`);
      expect(status.err_info).toContain(`recorded ssh-ed25519 ${old}`);
      expect(status.err_info).toContain(`now ssh-ed25519 ${fresh}`);
      expect(status.steps.map((s) => [s.step, s.state])).toEqual([['connect', 'failed']]);
      expect(status.host_key_changes).toEqual([
        {
          host: hosts.api.ip,
          port: 22,
          key_type: 'ssh-ed25519',
          fingerprint: fresh,
          known_key_type: 'ssh-ed25519',
          known_fingerprint: old,
          seen_at: expect.any(Number),
        },
      ]);
      expect(hosts.api.exec(callsLog)).toBe(calls);
      expect(hosts.api.exec('test -e /opt/topke && echo there || echo absent')).toBe('absent\n');
    });

    it('shows the new key on a scan, without logging in, and keeps the recorded one', async () => {
      const info = await scan(hosts.api);
      expect(info.login).toMatchObject({ ok: false, code: 'host_key_changed' });
      expect(info.facts).toEqual({
        host_key: {
          key_type: 'ssh-ed25519',
          fingerprint: fresh,
          known_key_type: 'ssh-ed25519',
          known_fingerprint: old,
        },
      });
      expect(await listed(hosts.api)).toEqual([
        expect.objectContaining({
          fingerprint: old,
          changed: { key_type: 'ssh-ed25519', fingerprint: fresh, seen_at: expect.any(Number) },
        }),
      ]);
    });

    it('refuses to accept any fingerprint but the one shown', async () => {
      const other = recorded.get(hosts.http.ip)!;
      const err = await rejection(
        product.services.api.knownHostAccept({ host: hosts.api.ip, fingerprint: other }),
      );
      expect({ code: err.code, field: err.field }).toEqual({
        code: 'conflict',
        field: 'fingerprint',
      });
      expect(err.message).toContain(`presents ssh-ed25519 ${fresh}, not ${other}`);
      expect(err.messageCn).toContain('未接受任何密钥');
      const malformed = await rejection(
        product.services.api.knownHostAccept({ host: hosts.api.ip, fingerprint: 'SHA256:abc' }),
      );
      expect({ code: malformed.code, field: malformed.field }).toEqual({
        code: 'invalid_field',
        field: 'fingerprint',
      });
      expect((await listed(hosts.api))[0]).toMatchObject({ fingerprint: old });
      await rejection(preflight(hosts.api));
    });

    it('lets the next preflight, scan and deploy connect once the shown key is accepted', async () => {
      const view = await product.services.api.knownHostAccept({
        host: hosts.api.ip,
        port: 22,
        fingerprint: fresh,
      });
      expect(view).toMatchObject({ host: hosts.api.ip, fingerprint: fresh, changed: null });

      const checked = await preflight(hosts.api);
      expect(checked.results.find((r) => r.check === 'ssh')).toBeUndefined();
      expect(checked.results.find((r) => r.check === 'hostname')).toMatchObject({
        host: hosts.api.ip,
        verdict: 'pass',
      });
      const info = await scan(hosts.api);
      expect(info.login).toEqual({ ok: true });
      expect(info.facts?.host_key).toEqual({
        key_type: 'ssh-ed25519',
        fingerprint: fresh,
        first_contact: false,
      });
      // The failed deploy of this cluster runs again, in the same process, and goes through.
      const plan = deployPlan('hk90', [hosts.api], [], bundle.archive);
      const status = await waitForDeploy(product, (await product.services.api.deploy(plan)).uuid);
      expect(status.err_info).toBe('');
      expect(status.DeployStage.State).toBe('success');
      expect(status.host_key_changes).toEqual([]);
    });
  });

  it('accepts a key that another process met, by reading it from the host', async () => {
    const old = recorded.get(hosts.other.ip)!;
    const fresh = await rekeyHost(hosts.other);
    // A second process on the same data folder: it has not seen the new key itself.
    const second = startProduct(product.dir);
    const wrong = recorded.get(hosts.api.ip)!;
    try {
      const err = await rejection(
        second.services.api.knownHostAccept({ host: hosts.other.ip, fingerprint: wrong }),
      );
      expect(err.message).toContain(`presents ssh-ed25519 ${fresh}, not ${wrong}`);
      // The recorded key itself needs no accepting: nothing changes.
      await second.services.api.knownHostAccept({ host: hosts.other.ip, fingerprint: old });
      expect((await listed(hosts.other))[0]).toMatchObject({ fingerprint: old });
      await second.services.api.knownHostAccept({ host: hosts.other.ip, fingerprint: fresh });
    } finally {
      await second.close();
    }
    expect((await listed(hosts.other))[0]).toMatchObject({ fingerprint: fresh, changed: null });
    expect((await scan(hosts.other)).login).toEqual({ ok: true });
  });

  it('keeps a changed key it was shown across a restart, and accepts exactly that one', async () => {
    const recordedNow = (await listed(hosts.other))[0]!.fingerprint;
    const shown = await rekeyHost(hosts.other);
    expect((await scan(hosts.other)).login).toMatchObject({ code: 'host_key_changed' });
    // The host changes its key once more after the engineer was shown the second one.
    const later = await rekeyHost(hosts.other);
    const restarted = startProduct(product.dir);
    try {
      const [entry] = (await restarted.services.api.knownHostList({ host: hosts.other.ip })).list;
      expect(entry).toMatchObject({
        fingerprint: recordedNow,
        changed: { key_type: 'ssh-ed25519', fingerprint: shown },
      });
      const view = await restarted.services.api.knownHostAccept({
        host: hosts.other.ip,
        fingerprint: shown,
      });
      expect(view).toMatchObject({ fingerprint: shown, changed: null });
    } finally {
      await restarted.close();
    }
    // What the host presents now is yet another key: it is stopped again, not trusted.
    expect((await scan(hosts.other)).facts?.host_key).toMatchObject({
      fingerprint: later,
      known_fingerprint: shown,
    });
    await product.services.api.knownHostAccept({ host: hosts.other.ip, fingerprint: later });
  });

  it('says why a key cannot be confirmed, and what a forget of an unknown host is', async () => {
    const err = await rejection(
      product.services.api.knownHostAccept({
        host: hosts.closed.ip,
        fingerprint: recorded.get(hosts.http.ip)!,
      }),
    );
    expect(err.field).toBe('host');
    expect(err.message).toContain(`the key ${hosts.closed.ip}:22 presents could not be read`);
    expect(err.message).toContain('connection refused');
    const missing = await rejection(
      product.services.api.knownHostForget({ host: hosts.closed.ip, port: 22 }),
    );
    expect({ code: missing.code, field: missing.field }).toEqual({
      code: 'not_found',
      field: 'host',
    });
  });

  describe('over HTTP and the IPC bridge', () => {
    let server: Server;
    let base: string;
    let old: string;
    let fresh: string;
    const call = async (path: string, body: object, method = 'POST') => {
      const res = await fetch(`${base}/v1/topke/cluster${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Envelope };
    };

    beforeAll(async () => {
      server = createHttpServer({
        api: product.services.api,
        events: product.ctx.events,
        token: TOKEN,
        log: product.ctx.log,
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      old = recorded.get(hosts.http.ip)!;
      fresh = await rekeyHost(hosts.http);
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
    });

    it('answers a preflight on the changed host with the envelope and the details', async () => {
      const res = await call('/preflight', {
        master_list: [{ IP: hosts.http.ip }],
        ssh: SSH,
        arch: 'amd64',
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        scode: 409,
        desc: 'host_key_changed',
        data: null,
        error: {
          code: 'host_key_changed',
          details: {
            host: hosts.http.ip,
            port: 22,
            hostKey: { fingerprint: fresh, knownFingerprint: old },
          },
        },
      });
      expect(res.body.message).toContain(fresh);
      expect(res.body.message_cn).toContain('主机密钥已变化');
    });

    it('carries the same details across the IPC bridge', async () => {
      const handlers = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
      registerIpcHandlers(
        { handle: (ch, fn) => handlers.set(ch, fn) },
        product.services.api,
        () => true,
      );
      const answer = (await handlers.get('topke:preflight')!(
        { senderFrame: { url: 'file:///app/index.html' } },
        { master_list: [{ IP: hosts.http.ip }], ssh: SSH, arch: 'amd64' },
      )) as BridgeAnswer;
      expect(answer).toMatchObject({
        ok: false,
        error: {
          code: 'host_key_changed',
          details: { host: hosts.http.ip, hostKey: { fingerprint: fresh, knownFingerprint: old } },
        },
      });
    });

    it('lists, refuses a wrong fingerprint, accepts the shown one, and forgets', async () => {
      const list = await call(`/hostkey/list?host=${hosts.http.ip}`, {}, 'GET');
      expect(list.status).toBe(200);
      expect(list.body.data).toMatchObject({
        total_count: 1,
        list: [
          { host: hosts.http.ip, port: 22, fingerprint: old, changed: { fingerprint: fresh } },
        ],
      });

      const wrong = await call('/hostkey/accept', { host: hosts.http.ip, fingerprint: old });
      expect(wrong.status).toBe(409);
      expect(wrong.body.error).toEqual({ code: 'conflict', field: 'fingerprint' });

      const right = await call('/hostkey/accept', { host: hosts.http.ip, fingerprint: fresh });
      expect(right.status).toBe(200);
      expect(right.body.data).toMatchObject({ fingerprint: fresh, changed: null });
      expect((await scan(hosts.http)).login).toEqual({ ok: true });

      const forgot = await call('/hostkey/forget', { host: hosts.http.ip });
      expect(forgot.body.data).toMatchObject({ host: hosts.http.ip, port: 22 });
      expect((await call('/hostkey/forget', { host: hosts.http.ip })).status).toBe(404);
      // Forgotten, the host's key counts as new again on the next contact.
      expect((await scan(hosts.http)).facts?.host_key).toMatchObject({
        fingerprint: fresh,
        first_contact: true,
      });
    });
  });
});
