import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const dist = new URL('../../dist/', import.meta.url);

describe('third-party licenses', () => {
  it('every package whose code is in a built chunk has its notice in dist/THIRD-PARTY-LICENSES.txt', () => {
    const notices = readFileSync(new URL('THIRD-PARTY-LICENSES.txt', dist), 'utf8');
    const bundled = new Set();
    for (const map of readdirSync(dist).filter((f) => f.endsWith('.js.map'))) {
      for (const source of JSON.parse(readFileSync(new URL(map, dist), 'utf8')).sources) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
        if (m) bundled.add(m[1]);
      }
    }
    assert.ok(bundled.size >= 3, `expected ky, partysocket and @cfworker/json-schema in the bundle, saw ${[...bundled]}`);
    for (const name of bundled) {
      assert.match(notices, new RegExp(`^${name.replace(/[/.]/g, '\\$&')}@\\d`, 'm'), `${name} is bundled but has no notice`);
    }
    assert.match(notices, /Permission is hereby granted/);
  });
});
