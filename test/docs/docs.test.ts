// `npm run docs`: the TypeDoc site of the public API builds (warnings and undocumented
// exports fail it), with a page per main export and the README as its front page, and
// every hand-written export carries an @example.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GENERATED = 'src/registry/stype-payloads.generated.ts';

interface Reflection { name: string; variant?: string; comment?: Comment; signatures?: { comment?: Comment }[] }
interface Comment { summary: unknown[]; blockTags?: { tag: string }[] }

describe('npm run docs', () => {
  let out: string;
  let exports: Reflection[];
  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'mpl-docs-'));
    // The script as users run it, into a temporary folder, with the JSON model beside the site.
    await promisify(execFile)('npm', ['run', 'docs', '--silent', '--', '--out', join(out, 'site'), '--json', join(out, 'api.json')], { cwd: root });
    // One module per entry point (mpl-sdk, mpl-sdk/qom, mpl-sdk/server, mpl-sdk/server/node): their exports, together.
    const modules = (JSON.parse(readFileSync(join(out, 'api.json'), 'utf8')) as { children: { name: string; children: Reflection[] }[] }).children;
    assert.deepEqual(modules.map((m) => m.name), ['mpl-sdk', 'mpl-sdk/qom', 'mpl-sdk/server', 'mpl-sdk/server/node']);
    // A type both entries export (QomReport is mpl-sdk's and mpl-sdk/qom's) is documented where it is declared; the other entry has a reference to it.
    exports = modules.flatMap((m) => m.children).filter((r) => r.variant !== 'reference');
  });
  after(() => rm(out, { recursive: true, force: true }));

  it('builds the site: the README as front page, a page per main export', () => {
    assert.match(readFileSync(join(out, 'site/index.html'), 'utf8'), /Typed payloads/);
    const pages = [
      'classes/Session', 'classes/Client', 'classes/MplEnvelope', 'classes/SType', 'classes/SchemaValidator',
      'classes/MplError', 'types/QomProfile', 'functions/semanticHash', 'functions/canonicalize',
      'functions/embeddedRegistry', 'functions/httpRegistry', 'functions/directoryRegistry',
      'interfaces/SessionConfig', 'interfaces/StypePayloads', 'interfaces/OrgCalendarEventV1', 'types/PayloadOf',
    ].map((p) => p.replace('/', '/mpl-sdk.'));
    pages.push('classes/mpl-sdk_qom.QomProfile', 'functions/mpl-sdk_qom.readQomReport', 'classes/mpl-sdk_server.MplServer', 'functions/mpl-sdk_server.denoHandler', 'functions/mpl-sdk_server_node.serveNode');
    for (const page of pages) assert.ok(existsSync(join(out, 'site', `${page}.html`)), page);
  });

  it('every export is documented, with an @example (generated payload types: their schema\'s description, and its example where the registry has one)', () => {
    assert.ok(exports.length > 100, `${exports.length} exports`);
    const tags = (r: Reflection) => [r.comment, ...(r.signatures ?? []).map((s) => s.comment)].flatMap((c) => c?.blockTags ?? []).map((t) => t.tag);
    // The generated payload types, by name (the site has no source links: disableSources).
    const generatedNames = new Set([...readFileSync(join(root, GENERATED), 'utf8').matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]));
    const generated = (r: Reflection) => generatedNames.has(r.name);
    const noExample = exports.filter((r) => !generated(r) && !tags(r).includes('@example')).map((r) => r.name);
    assert.deepEqual(noExample, []);
    const undocumented = exports.filter((r) => generated(r) && !(r.comment?.summary.length)).map((r) => r.name);
    assert.deepEqual(undocumented, []);
  });
});
