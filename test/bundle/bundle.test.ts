import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBundleFor } from '../../main/bundle/find.js';
import { openBundle } from '../../main/bundle/open.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { rejection } from '../support/errors.js';

describe('offline bundle', () => {
  let bundle: TestBundle;
  let dataDir: string;
  let scratch: string;
  beforeAll(async () => {
    bundle = await buildTestBundle();
    dataDir = mkdtempSync(join(tmpdir(), 'topke-bundle-data-'));
    scratch = mkdtempSync(join(tmpdir(), 'topke-bundle-copy-'));
  });
  afterAll(() => {
    bundle?.remove();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  function copy(name: string): string {
    const dir = join(scratch, name);
    cpSync(bundle.dir, dir, { recursive: true });
    return dir;
  }

  it('reads a folder and names it by version and manifest digest', async () => {
    const opened = await openBundle(bundle.dir, dataDir);
    expect(opened.manifest.kubernetes_version).toBe('v1.30.2');
    expect(opened.manifest.arch).toBe('amd64');
    expect(opened.id).toMatch(/^v1\.30\.2-[0-9a-f]{12}$/);
    expect(opened.manifest.files.map((f) => f.path)).toContain('bin/kubeadm');
    expect(opened.manifest.files.find((f) => f.path === 'bin/kubeadm')?.mode).toBe(0o755);
  });

  it('unpacks a .tar.gz into the data folder once and gives the same id', async () => {
    const fromDir = await openBundle(bundle.dir, dataDir);
    const first = await openBundle(bundle.archive, dataDir);
    expect(first.id).toBe(fromDir.id);
    expect(first.root.startsWith(join(dataDir, 'bundles'))).toBe(true);
    const cached = readdirSync(join(dataDir, 'bundles'));
    const second = await openBundle(bundle.archive, dataDir);
    expect(second.root).toBe(first.root);
    expect(readdirSync(join(dataDir, 'bundles'))).toEqual(cached);
  });

  it('unpacks an archive once when two deploys open it at the same time', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'topke-bundle-data-'));
    try {
      const [a, b] = await Promise.all([
        openBundle(bundle.archive, fresh),
        openBundle(bundle.archive, fresh),
      ]);
      expect(b.root).toBe(a.root);
      expect(readdirSync(join(fresh, 'bundles'))).toHaveLength(1);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('names a file whose content differs from the manifest', async () => {
    const dir = copy('tampered');
    const manifestSize = bundle.manifest.files.find(
      (f) => f.path === 'manifests/calico.yaml',
    )!.size;
    writeFileSync(join(dir, 'manifests/calico.yaml'), 'x'.repeat(manifestSize));
    const err = await rejection(openBundle(dir, dataDir));
    expect(err.code).toBe('bundle_invalid');
    expect(err.field).toBe('bundle_path');
    expect(err.message).toContain('manifests/calico.yaml');
    expect(err.message).toContain('sha256');
    expect(err.messageCn).toContain('manifests/calico.yaml');
  });

  it('names a file whose size differs from the manifest', async () => {
    const dir = copy('longer');
    appendFileSync(join(dir, 'bin/ctr'), '\n# more\n');
    const err = await rejection(openBundle(dir, dataDir));
    expect(err.message).toMatch(/bin\/ctr: has \d+ bytes, the manifest says \d+/);
  });

  it('names a listed file that is missing or a link', async () => {
    const missing = copy('missing');
    unlinkSync(join(missing, 'bin/runc'));
    expect((await rejection(openBundle(missing, dataDir))).message).toContain('bin/runc');

    const linked = copy('linked');
    unlinkSync(join(linked, 'bin/runc'));
    symlinkSync('/bin/sh', join(linked, 'bin/runc'));
    const err = await rejection(openBundle(linked, dataDir));
    expect(err.message).toContain('bin/runc: is missing or not a regular file');
  });

  it('rejects a manifest without a required file, with a bad path, or that is not JSON', async () => {
    const dir = copy('manifests');
    const write = (m: unknown) => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    write({
      ...bundle.manifest,
      files: bundle.manifest.files.filter((f) => f.path !== 'bin/kubelet'),
    });
    expect((await rejection(openBundle(dir, dataDir))).message).toContain(
      'bin/kubelet: is required',
    );

    write({
      ...bundle.manifest,
      files: [
        ...bundle.manifest.files,
        { path: '../etc/passwd', sha256: '0'.repeat(64), size: 1, mode: '0644' },
      ],
    });
    const bad = await rejection(openBundle(dir, dataDir));
    expect(bad.message).toContain('manifest.json: files.');
    expect(bad.message).toContain('relative path');

    write({ ...bundle.manifest, arch: 'sparc' });
    expect((await rejection(openBundle(dir, dataDir))).message).toContain('manifest.json: arch');

    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    expect((await rejection(openBundle(dir, dataDir))).message).toContain(
      'manifest.json: is not valid JSON',
    );
  });

  it('rejects a path that does not exist or is neither a folder nor a .tar.gz', async () => {
    expect((await rejection(openBundle(join(scratch, 'nowhere'), dataDir))).message).toContain(
      'does not exist',
    );
    const file = join(scratch, 'bundle.zip');
    writeFileSync(file, 'PK');
    expect((await rejection(openBundle(file, dataDir))).message).toContain(
      'must be a folder or a .tar.gz',
    );
    const broken = join(scratch, 'broken.tar.gz');
    writeFileSync(broken, 'not gzip at all');
    expect((await rejection(openBundle(broken, dataDir))).message).toContain('cannot be unpacked');
    expect(existsSync(join(dataDir, 'bundles'))).toBe(true);
  });
});

describe('the bundle of a deploy that names none', () => {
  let bundle: TestBundle;
  let older: TestBundle;
  let dataDir: string;
  const library = () => join(dataDir, 'bundles');

  beforeAll(async () => {
    [bundle, older] = await Promise.all([
      buildTestBundle(),
      buildTestBundle({ version: 'v1.29.6' }),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'topke-bundle-find-'));
  });
  afterAll(() => {
    bundle?.remove();
    older?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused, naming bundle_path, the version and the folder, when there is none', async () => {
    const err = await rejection(findBundleFor('v1.30.2', dataDir));
    expect(err).toMatchObject({ code: 'not_found', field: 'bundle_path' });
    expect(err.message).toContain(`no offline bundle for v1.30.2 is in ${library()}`);
    expect(err.messageCn).toContain('请提供 bundle_path');
  });

  it('is the one bundle of that version unpacked in the data folder', async () => {
    await openBundle(bundle.archive, dataDir);
    cpSync(older.dir, join(library(), 'v1.29.6-by-hand'), { recursive: true });
    // The same bundle put there by hand again is still one bundle.
    cpSync(bundle.dir, join(library(), 'by-hand'), { recursive: true });
    const found = await findBundleFor('v1.30.2', dataDir);
    expect((await openBundle(found, dataDir)).id).toBe((await openBundle(bundle.dir, dataDir)).id);
    expect(await findBundleFor('v1.29.6', dataDir)).toBe(join(library(), 'v1.29.6-by-hand'));
  });

  it('is refused, naming each, when different bundles of that version are there', async () => {
    const other = join(library(), 'rebuilt');
    cpSync(bundle.dir, other, { recursive: true });
    const manifest = { ...bundle.manifest, components: { ...bundle.manifest.components, x: '1' } };
    writeFileSync(join(other, 'manifest.json'), JSON.stringify(manifest));
    const err = await rejection(findBundleFor('v1.30.2', dataDir));
    expect(err).toMatchObject({ code: 'invalid_field', field: 'bundle_path' });
    expect(err.message).toMatch(
      /holds 2 different offline bundles for v1\.30\.2 \(v1\.30\.2-\w{12}, v1\.30\.2-\w{12}\)/,
    );
  });
});
