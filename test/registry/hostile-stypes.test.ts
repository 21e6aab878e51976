// STypes become file paths and URLs. Whatever string comes in (from a peer, a config
// file), no source may read a file or request a URL outside its registry.
import assert from 'node:assert/strict';
import { mkdtemp, rm, cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, MplError, SchemaValidator, directoryRegistry, embeddedRegistry, httpRegistry, type Registry } from '../../src/index.ts';
import { REGISTRY_DIR, startRegistryServer, type RegistryServer } from './support/registry-server.ts';

const HOSTILE = [
  '../../../etc/passwd', '..', 'org/../../x.Y.v1', 'org.calendar.Event.v1/../../../secret', 'org.%2e%2e.Event.v1', 'org.calendar.%2F..%2F.v1',
  'org.calendar..v1', '.org.calendar.Event.v1', 'org.calendar.Event.v1.', 'org.calendar.Event.v01', 'org.calendar.Event.v1000', 'org.calendar.Event.v0',
  'org.calendar.Event', 'org.calendar.Ev ent.v1', 'org.calendar.Event.v1?x=1', 'org.calendar.Event.v1#frag', 'https://evil.example/x.Y.Z.v1',
  '//evil.example/a.b.C.v1', 'org\\calendar\\Event.v1', 'C:\\org.calendar.Event.v1', 'org.calendar.Event\u0000.v1', 'org.cal\u2024endar.Event.v1',
  'urn:stype:', 'urn:stype:../x.y.Z.v1', 'urn:other:org.calendar.Event.v1', '', `${'a.'.repeat(200)}Event.v1`,
];

const refusedAsInvalid = (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidStype;

describe('hostile STypes', () => {
  let server: RegistryServer;
  let work: string;
  let sources: Record<string, Registry>;
  before(async () => {
    server = await startRegistryServer();
    work = await mkdtemp(join(tmpdir(), 'mpl-hostile-'));
    await cp(REGISTRY_DIR, join(work, 'registry'), { recursive: true });
    await writeFile(join(work, 'secret.json'), '{"type":"object"}');
    sources = { embedded: embeddedRegistry(), directory: directoryRegistry(join(work, 'registry')), http: httpRegistry(server.url) };
  });
  after(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  for (const stype of HOSTILE) {
    it(`${JSON.stringify(stype.length > 40 ? `${stype.slice(0, 40)}…` : stype)} is refused (E-INVALID-STYPE) by every source and the validator, with no request`, async () => {
      server.requests.length = 0;
      for (const registry of Object.values(sources)) {
        await assert.rejects(registry.getSchema(stype), refusedAsInvalid);
        await assert.rejects(registry.has(stype), refusedAsInvalid);
        await assert.rejects(new SchemaValidator(registry).validate(stype, {}), refusedAsInvalid);
      }
      assert.deepEqual(server.requests, []);
    });
  }

  it('a well-formed but tricky SType (__proto__…) is simply unknown: no prototype lookups', async () => {
    for (const registry of Object.values(sources)) {
      await assert.rejects(registry.getSchema('__proto__.constructor.prototype.v1'), (e: unknown) => e instanceof MplError && e.code === ErrorCode.UnknownStype);
      assert.equal(await registry.has('toString.valueOf.constructor.v1'), false);
    }
    assert.equal(await embeddedRegistry().getProfile('__proto__'), undefined);
  });

  it('hostile profile names are refused too', async () => {
    server.requests.length = 0;
    for (const name of ['../secret', 'qom-basic/../../x', 'a b', '', '..']) {
      for (const registry of Object.values(sources)) {
        await assert.rejects(registry.getProfile(name), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidArgument);
      }
    }
    assert.deepEqual(server.requests, []);
  });

  it('for any string, a request is either refused or goes below the registry URL', async () => {
    server.requests.length = 0;
    const registry = httpRegistry(server.url, { layout: 'static', retry: 0 });
    const part = fc.stringMatching(/^[A-Za-z0-9_%.\/\\:?#~ -]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join('.'))), async (stype) => {
        await registry.getSchema(stype).catch((e: unknown) => assert.ok(e instanceof MplError, String(e)));
      }),
      { numRuns: 300 },
    );
    for (const request of server.requests) assert.match(request, /^\/registry\/stypes\/([A-Za-z0-9_-]+\/){3,}v[1-9][0-9]{0,2}\/schema\.json$/);
  });
});
