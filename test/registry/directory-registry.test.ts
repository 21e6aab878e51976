// directoryRegistry on a real folder: what it reads, and what it refuses (files that
// resolve outside the folder through symlinks, broken files, a missing folder).
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, MplError, SchemaValidator, UnknownStypeError, directoryRegistry } from '../../src/index.ts';
import { REGISTRY_DIR } from './support/registry-server.ts';

async function rejectsWith(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof MplError, String(e));
    assert.equal(e.code, code, e.message);
    for (const f of fragments) assert.ok(e.message.includes(f), `"${e.message}" does not mention ${f}`);
    return true;
  });
}

describe('directoryRegistry', () => {
  let work: string;
  let root: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'mpl-registry-'));
    root = join(work, 'registry');
    await cp(REGISTRY_DIR, root, { recursive: true });
    await writeFile(join(work, 'secret.json'), '{"type":"object","description":"outside the registry"}');
    const escape = join(root, 'stypes/org/escape/Link/v1');
    await mkdir(escape, { recursive: true });
    await symlink(join(work, 'secret.json'), join(escape, 'schema.json'));
    await mkdir(join(root, 'stypes/org/escape/Dir'), { recursive: true });
    await mkdir(join(work, 'outside/v1'), { recursive: true });
    await writeFile(join(work, 'outside/v1/schema.json'), '{"type":"object"}');
    await symlink(join(work, 'outside'), join(root, 'stypes/org/escape/Dir/Link'));
    await symlink(join(work, 'outside'), join(root, 'stypes/org/escape/DirLink'), 'dir');
    await mkdir(join(root, 'stypes/org/broken/Json/v1'), { recursive: true });
    await writeFile(join(root, 'stypes/org/broken/Json/v1/schema.json'), '{"type": ');
    await mkdir(join(root, 'stypes/org/bad.dots/Name/v1'), { recursive: true });
    await writeFile(join(root, 'stypes/org/bad.dots/Name/v1/schema.json'), '{}');
    await writeFile(join(root, 'profiles/qom-broken.json'), 'nope');
    // A symlink inside the folder: an SType's folder linked from another name, and a schema file linked to another.
    await mkdir(join(root, 'shared/Beat/v1'), { recursive: true });
    await writeFile(join(root, 'shared/Beat/v1/schema.json'), '{"$id":"urn:stype:org.linked.Beat.v1","type":"object"}');
    await writeFile(join(root, 'shared/file.json'), '{"$id":"urn:stype:org.linked.File.v1","type":"object"}');
    await mkdir(join(root, 'stypes/org/linked/File/v1'), { recursive: true });
    await symlink(join(root, 'shared/Beat'), join(root, 'stypes/org/linked/Beat'), 'dir');
    await symlink(join(root, 'shared/file.json'), join(root, 'stypes/org/linked/File/v1/schema.json'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('reads schemas and profiles, from a path or a file: URL', async () => {
    for (const registry of [directoryRegistry(root), directoryRegistry(pathToFileURL(root).href)]) {
      const schema = await registry.getSchema('org.calendar.Event.v1') as { $id: string };
      assert.equal(schema.$id, 'urn:stype:org.calendar.Event.v1');
      assert.equal((await registry.getProfile('qom-basic') as { name: string }).name, 'qom-basic');
    }
  });

  it('refuses a schema file that is a symlink to a file outside the folder', async () => {
    await rejectsWith(directoryRegistry(root).getSchema('org.escape.Link.v1'), ErrorCode.Registry, 'outside the registry folder', 'secret.json');
    await rejectsWith(directoryRegistry(root).has('org.escape.Link.v1'), ErrorCode.Registry, 'outside the registry folder');
  });

  it('refuses a path through a symlinked folder that leads outside', async () => {
    await rejectsWith(directoryRegistry(root).getSchema('org.escape.Dir.Link.v1'), ErrorCode.Registry, 'outside the registry folder');
    await rejectsWith(directoryRegistry(root).getSchema('org.escape.DirLink.v1'), ErrorCode.Registry, 'outside the registry folder');
  });

  it('list() has the STypes getSchema reads: symlinks followed within the folder, none that leads outside, no folder names an SType cannot have', async () => {
    const ids = await directoryRegistry(root).list();
    assert.ok(ids.includes('org.calendar.Event.v1'));
    assert.ok(ids.includes('org.broken.Json.v1'));
    assert.ok(ids.includes('org.linked.Beat.v1') && ids.includes('org.linked.File.v1'), ids.join());
    assert.ok(!ids.some((id) => id.includes('escape') || id.includes('dots')), ids.join());
    for (const id of ['org.linked.Beat.v1', 'org.linked.File.v1']) assert.equal(typeof (await directoryRegistry(root).getSchema(id)), 'object');
  });

  it('a missing schema is UnknownStypeError naming the file it looked for', async () => {
    await assert.rejects(directoryRegistry(root).getSchema('org.nothing.Here.v1'), (e: unknown) => {
      assert.ok(e instanceof UnknownStypeError);
      assert.equal(e.where, join(root, 'stypes/org/nothing/Here/v1/schema.json'));
      return true;
    });
    assert.equal(await directoryRegistry(root).has('org.nothing.Here.v1'), false);
    assert.equal(await directoryRegistry(root).getProfile('qom-nothing'), undefined);
  });

  it('a file that is not JSON is E-REGISTRY naming the SType and file', async () => {
    await rejectsWith(directoryRegistry(root).getSchema('org.broken.Json.v1'), ErrorCode.Registry, 'org.broken.Json.v1', join(root, 'stypes/org/broken/Json/v1/schema.json'), 'not JSON');
    await rejectsWith(directoryRegistry(root).getProfile('qom-broken'), ErrorCode.Registry, 'qom-broken', 'not JSON');
    await rejectsWith(new SchemaValidator(directoryRegistry(root)).validate('org.broken.Json.v1', {}), ErrorCode.Registry, 'org.broken.Json.v1');
  });

  it('a folder that does not exist is E-REGISTRY naming it', async () => {
    const missing = join(work, 'no-such-registry');
    await rejectsWith(directoryRegistry(missing).getSchema('org.calendar.Event.v1'), ErrorCode.Registry, missing);
    await rejectsWith(directoryRegistry(missing).list(), ErrorCode.Registry, missing);
  });

  it('refuses an empty path at once', () => {
    assert.throws(() => directoryRegistry(''), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidArgument);
  });
});
