// The build minifies identifiers without esbuild's keepNames (src/platform/class-name.ts):
// every class the built entries export still carries its public name, as logs and
// `constructor.name` show it, and an error's `name` is its class's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { packageRoot } from '../runtimes/support/exports.mjs';

const isClass = (value) => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

describe('public class names in the minified build', () => {
  for (const [file, qomFile] of [['index.js', 'qom.js'], ['node.js', 'qom.node.js']]) {
    it(`dist/${file} and dist/${qomFile} (mpl-sdk/qom): each exported class is named as it is exported`, async () => {
      const sdk = await import(pathToFileURL(join(packageRoot, 'dist', file)).href);
      const qom = await import(pathToFileURL(join(packageRoot, 'dist', qomFile)).href);
      const classes = [...Object.entries(sdk), ...Object.entries(qom)].filter(([, value]) => isClass(value));
      assert.ok(classes.length >= 17, `only ${classes.length} classes exported`);
      assert.equal(qom.QomProfile.name, 'QomProfile');
      for (const [exported, cls] of classes) assert.equal(cls.name, exported);
      assert.equal(new sdk.Session({ endpoint: 'ws://127.0.0.1:1/ws', stypes: ['org.calendar.Event.v1'] }).constructor.name, 'Session');
      const error = new sdk.TimeoutError('send', 5);
      assert.equal(error.name, 'TimeoutError');
      assert.match(String(error), /^TimeoutError: send timed out after 5 ms$/);
    });
  }
});
