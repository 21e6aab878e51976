// The embedded registry is generated from registry/ (by the build). This fails when the
// committed copy is out of date, so a change to registry/ cannot slip past `src` users
// (tests run the sources under tsx) or a fresh clone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateRegistryFiles, stripAnnotations } from '../../registry/embed.mjs';
import { registryTree } from './support/registry-tree.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('generated registry files', () => {
  it('src/registry/embedded-data.generated.ts, src/registry/stype-payloads.generated.ts (the payload types) and registry/index.json match registry/ (else run: node registry/embed.mjs)', async () => {
    const { files } = await generateRegistryFiles(root);
    for (const [path, text] of Object.entries(files)) {
      assert.equal(readFileSync(root + path, 'utf8'), text, `${path} is out of date`);
    }
  });

  it('the built bundle (dist/) embeds exactly the schemas of registry/', async () => {
    const { embeddedRegistry } = await import('../../dist/index.js');
    const registry = embeddedRegistry();
    const tree = registryTree();
    assert.deepEqual(await registry.list(), tree.map((t) => t.id));
    for (const t of tree) assert.deepEqual(await registry.getSchema(t.id), stripAnnotations(t.schema), t.id);
  });

  it('the embedded copies drop annotations only, never a property that happens to be called "description"', () => {
    const schema = {
      title: 'T', description: 'D', $comment: 'C', type: 'object', required: ['description'],
      properties: { description: { type: 'string', description: 'the field' }, title: { const: 'title' } },
      $defs: { x: { anyOf: [{ title: 'a', type: 'string' }], items: { description: 'i' } } },
      enum: [{ description: 'data, kept' }],
    };
    assert.deepEqual(stripAnnotations(schema), {
      type: 'object', required: ['description'],
      properties: { description: { type: 'string' }, title: { const: 'title' } },
      $defs: { x: { anyOf: [{ type: 'string' }], items: {} } },
      enum: [{ description: 'data, kept' }],
    });
  });
});
