// mpl-sdk/server and mpl-sdk/server/node as built: each resolves in every runtime to a file
// that exists; the server takes the SDK from the build of it that the runtime's users import
// (one hasher, one set of classes) instead of a copy; only the Node adapter imports Node built-ins or ws; the
// client bundle holds no server code; a strict TypeScript consumer compiles against them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot, readPackageJson, resolveExport, runtimeConditions } from '../runtimes/support/exports.mjs';
import { distImports, sdkBundleSources } from './module-graph.mjs';
import { compileConsumer } from './ts-consumer.mjs';

const pkg = readPackageJson();

describe('the server entries', () => {
  for (const subpath of ['./server', './server/node']) {
    for (const runtime of ['node', 'deno', 'bun', 'workerd', 'types']) {
      if (subpath === './server/node' && runtime === 'workerd') continue;
      it(`"${subpath}" resolves for ${runtime} to a file that exists`, () => {
        const file = resolveExport(pkg, subpath, runtimeConditions[runtime]);
        assert.ok(file, `no match for ${runtime}`);
        assert.ok(existsSync(join(packageRoot, file)), `${file} is missing`);
      });
    }
    it(`"${subpath}": types first, default last`, () => {
      const keys = Object.keys(pkg.exports[subpath]);
      assert.equal(keys[0], 'types');
      assert.equal(keys.at(-1), 'default');
    });
  }

  it('each platform\'s server imports nothing but that platform\'s build of the SDK and of mpl-sdk/qom, the ones its users import', () => {
    for (const runtime of ['node', 'deno', 'bun', 'workerd', 'browser']) {
      const server = resolveExport(pkg, './server', runtimeConditions[runtime]).replace('./dist/', '');
      const sdk = ['.', './qom'].map((subpath) => resolveExport(pkg, subpath, runtimeConditions[runtime]).replace('./dist/', './'));
      assert.deepEqual(distImports(server).statics.sort(), sdk.sort(), `${runtime}: ${server}`);
    }
  });

  it('only the Node adapter imports Node built-ins and ws, and it imports none of the SDK', () => {
    assert.deepEqual(distImports('server-node.js').statics.filter((s) => !s.startsWith('node:') && s !== 'ws'), []);
  });

  it('the client bundles hold no server code', () => {
    assert.deepEqual(sdkBundleSources((s) => s.includes('/server/')), []);
  });

  it('a strict TypeScript consumer compiles a server against the declarations (handlers typed, envelopes shared with mpl-sdk)', async () => {
    const compiled = await compileConsumer([
      "import { MplEnvelope } from 'mpl-sdk';",
      "import { MplServer, denoHandler, bunHandler, workerdHandler, type HandlerContext } from 'mpl-sdk/server';",
      "const server = new MplServer({ mode: 'strict', limits: { handlerTimeoutMs: 1000 } });",
      "server.on('org.calendar.Event.v1', (envelope: MplEnvelope, ctx: HandlerContext) => ctx.reply('org.agent.Heartbeat.v1', { status: 'alive', id: envelope.id }));",
      'export const handlers = [denoHandler(server), bunHandler(server), workerdHandler(server)];',
    ]);
    for (const { resolution, problems, files } of compiled) {
      assert.deepEqual(problems, [], `moduleResolution ${resolution}`);
      assert.ok(files.some((f) => f.endsWith('dist/server.d.ts')));
    }
  });
});
