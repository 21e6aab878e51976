// The three sources (embedded, a directory, HTTP in both layouts against a real static
// server) give identical answers for every STypes' examples and negatives, list the
// same STypes and serve the same profiles.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SchemaValidator, directoryRegistry, embeddedRegistry, httpRegistry, type Registry } from '../../src/index.ts';
import { stripAnnotations } from '../../registry/embed.mjs';
import { REGISTRY_DIR, startRegistryServer, type RegistryServer } from './support/registry-server.ts';
import { registryTree } from './support/registry-tree.ts';

const tree = registryTree();

describe('embedded, directory and HTTP registries agree', () => {
  let staticServer: RegistryServer;
  let serviceServer: RegistryServer;
  let sources: Record<string, Registry>;
  before(async () => {
    staticServer = await startRegistryServer({ layout: 'static' });
    serviceServer = await startRegistryServer({ layout: 'service', pageLimit: 4 });
    sources = {
      embedded: embeddedRegistry(),
      directory: directoryRegistry(REGISTRY_DIR),
      'http static': httpRegistry(staticServer.url, { layout: 'static' }),
      'http service': httpRegistry(serviceServer.url, { layout: 'service' }),
      'http auto (static server)': httpRegistry(staticServer.url),
      'http auto (service server)': httpRegistry(serviceServer.url),
    };
  });
  after(async () => {
    await staticServer.close();
    await serviceServer.close();
  });

  it('list() gives the same STypes, those of registry/', async () => {
    const expected = tree.map((t) => t.id);
    for (const [name, registry] of Object.entries(sources)) assert.deepEqual(await registry.list(), expected, name);
    assert.ok(serviceServer.count('/stypes') >= 4, 'the service list was read page by page');
  });

  it('the same issues for every example and negative of every SType', async () => {
    const validators = Object.entries(sources).map(([name, registry]) => [name, new SchemaValidator(registry)] as const);
    let compared = 0;
    for (const t of tree) {
      for (const { payload } of [...t.examples, ...t.negatives]) {
        const expected = await validators[0]![1].validate(t.id, payload);
        for (const [name, validator] of validators.slice(1)) assert.deepEqual(await validator.validate(t.id, payload), expected, `${name}: ${t.id}`);
        compared++;
      }
    }
    assert.ok(compared > 40);
  });

  it('getSchema: directory and HTTP serve registry/ as written; the embedded copy is it without annotations', async () => {
    for (const t of tree) {
      for (const name of ['directory', 'http static', 'http service']) assert.deepEqual(await sources[name]!.getSchema(t.id), t.schema, `${name}: ${t.id}`);
      assert.deepEqual(await sources['embedded']!.getSchema(t.id), stripAnnotations(t.schema), t.id);
    }
  });

  it('the same profiles, and undefined for an unknown one', async () => {
    const expected = await sources['directory']!.getProfile('qom-comprehensive');
    assert.equal((expected as { name: string }).name, 'qom-comprehensive');
    for (const [name, registry] of Object.entries(sources)) {
      assert.deepEqual(await registry.getProfile('qom-comprehensive'), expected, name);
      assert.equal(await registry.getProfile('qom-nope'), undefined, name);
    }
  });

  it('has(): true for a registered SType, false for an unknown one', async () => {
    for (const [name, registry] of Object.entries(sources)) {
      assert.equal(await registry.has('org.calendar.Event.v1'), true, name);
      assert.equal(await registry.has('urn:stype:org.calendar.Event.v1'), true, name);
      assert.equal(await registry.has('org.calendar.Event.v9'), false, name);
    }
  });
});
