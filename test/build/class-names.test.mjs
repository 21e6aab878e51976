// The build minifies identifiers without esbuild's keepNames (src/platform/class-name.ts):
// every class the built entries export still carries its public name, as logs and
// `constructor.name` show it, and an error's `name` is its class's. The server's builds keep
// their identifiers as written (only whitespace is minified), with no naming at run time.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
  it('mpl-sdk/server and mpl-sdk/server/node: every exported class and function is named as it is exported, with no naming at run time', async () => {
    for (const file of ['server.js', 'server.node.js', 'server.workerd.js', 'server-node.js']) {
      const path = join(packageRoot, 'dist', file);
      // The Worker and browser builds import an SDK build that Node may not run (workerd.js): read their names from the text.
      const text = await readFile(path, 'utf8');
      assert.doesNotMatch(text, /"name",\s*\{\s*value:/, `${file} names nothing at run time (no keepNames helper)`);
      for (const name of ['MplServer', 'Reply', 'workerdHandler', 'durableObjectHandler'].filter(() => file !== 'server-node.js')) {
        assert.match(text, new RegExp(`\\b(class|function) ${name}\\b`), `${file} declares ${name} under its name`);
      }
    }
    const server = await import(pathToFileURL(join(packageRoot, 'dist', 'server.node.js')).href);
    const node = await import(pathToFileURL(join(packageRoot, 'dist', 'server-node.js')).href);
    const exported = [...Object.entries(server), ...Object.entries(node)].filter(([, value]) => typeof value === 'function');
    assert.ok(exported.length >= 8, `only ${exported.length} functions and classes exported`);
    for (const [name, value] of exported) assert.equal(value.name, name);
  });
});
