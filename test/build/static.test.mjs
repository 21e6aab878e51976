// Static checks on the build: what a browser, a strict CSP and workerd refuse must not be
// in the bundles, and the `exports` map must resolve, in every runtime, to files that exist.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { parseAst } from 'rollup/parseAst';
import ts from 'typescript';
import { packageRoot, readPackageJson, resolveExport, runtimeConditions } from '../runtimes/support/exports.mjs';
import { denoBin, denoEnv, makeDenoProject } from '../runtimes/deno/stage.mjs';
import { workerConditions } from '../runtimes/workerd/bundle.mjs';
import { atModuleLevel, distImports, lineOf, moduleGraph, walk } from './module-graph.mjs';
import { compileConsumer } from './ts-consumer.mjs';

const run = promisify(execFile);
const pkg = readPackageJson();
const nodeOnly = new Set([...builtinModules, 'ws']);
const entries = { browser: resolveExport(pkg, '.', runtimeConditions.browser), workerd: resolveExport(pkg, '.', runtimeConditions.workerd) };

function findings(entry, check) {
  const out = [];
  for (const mod of moduleGraph(entry)) {
    walk(mod.ast, (node, parents) => {
      const why = check(node, parents, mod);
      if (why) out.push(`${mod.file}:${lineOf(mod.source, node.start)} ${why}`);
    });
  }
  return out;
}

const isIdentifier = (node, name) => node?.type === 'Identifier' && node.name === name;
const isImportMetaUrl = (node) => node?.type === 'MemberExpression' && node.object.type === 'MetaProperty' && node.property.name === 'url';

/** What each runtime refuses, as checks over AST nodes: a reason, or undefined. */
const checks = {
  'no static import of a Node built-in or of ws': (node) => {
    const src = (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source?.value;
    return typeof src === 'string' && (src.startsWith('node:') || nodeOnly.has(src)) ? `imports ${src} at module level` : undefined;
  },
  'no eval, no new Function, no string-compiled timers': (node) => {
    if (node.type === 'CallExpression' && (isIdentifier(node.callee, 'eval') || node.callee.property?.name === 'eval')) return 'calls eval';
    if ((node.type === 'NewExpression' || node.type === 'CallExpression') && isIdentifier(node.callee, 'Function')) return 'builds a Function from text';
    if (node.type === 'CallExpression' && ['setTimeout', 'setInterval'].some((t) => isIdentifier(node.callee, t)) && node.arguments[0]?.type === 'Literal') return 'passes a string to a timer';
    return undefined;
  },
  'no import() of a computed specifier (plain Miniflare refuses it, webpack warns)': (node) => (
    node.type === 'ImportExpression' && node.source.type !== 'Literal' ? 'imports a computed specifier' : undefined),
  'nothing reads import.meta.url at module load (workerd has none)': (node, parents) => (isImportMetaUrl(node) && atModuleLevel(parents) ? 'reads import.meta.url at module level' : undefined),
};

describe('the built bundles', () => {
  for (const [name, entry] of Object.entries(entries)) {
    for (const [rule, check] of Object.entries(checks)) {
      it(`${name} entry (${entry}) and every module it loads: ${rule}`, () => {
        assert.deepEqual(findings(entry, check), []);
      });
    }
  }

  it('the checks find what they look for (a known-bad module)', () => {
    const bad = [
      "import { readFile } from 'node:fs';",
      "export * from 'ws';",
      "const wasmUrl = new URL('./x.wasm', import.meta.url);",
      "eval('1'); globalThis.eval('2'); new Function('return 1'); setTimeout('x()', 1);",
      'export function fine() { return new URL(\'./x.wasm\', import.meta.url); }',
      "class A { static u = import.meta.url; v = import.meta.url; }",
      "const name = 'node:fs'; export const load = () => import(name);",
    ].join('\n');
    const ast = parseAst(bad);
    const found = Object.values(checks).flatMap((check) => {
      const out = [];
      walk(ast, (node, parents) => { const why = check(node, parents); if (why) out.push(`${lineOf(bad, node.start)} ${why}`); });
      return out;
    });
    assert.deepEqual(found.sort(), [
      '1 imports node:fs at module level', '2 imports ws at module level',
      '3 reads import.meta.url at module level',
      '4 builds a Function from text', '4 calls eval', '4 calls eval', '4 passes a string to a timer',
      '6 reads import.meta.url at module level',
      '7 imports a computed specifier',
    ].sort());
  });

  it('a web app bundling the package with esbuild for the browser builds (no Node built-in, even in a dynamic import)', async () => {
    const result = await build({
      stdin: { contents: "export * from 'mpl-sdk';", resolveDir: packageRoot, loader: 'js' },
      bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent',
    }).catch((error) => error);
    assert.deepEqual((result.errors ?? []).map((e) => `${e.location?.file}:${e.location?.line} ${e.text}`), []);
  });

  it('every built file imports only what an installed package has: relative files, Node built-ins, dependencies and peers', () => {
    // devDependencies are not installed with the package: a bare import of one (a bundle that
    // did not inline it) works in this repo and fails in every user's project.
    const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const strays = readdirSync(join(packageRoot, 'dist')).filter((file) => /\.m?js$/.test(file)).flatMap((file) => {
      const { statics, dynamics } = distImports(file);
      return [...statics, ...dynamics].filter((specifier) => specifier !== undefined && !/^\.{1,2}\//.test(specifier)
        && !specifier.startsWith('node:') && !builtinModules.includes(specifier) && !installed.has(packageOf(specifier)))
        .map((specifier) => `${file} imports ${specifier}`);
    });
    assert.deepEqual(strays, []);
  });

  it('the workerd entry imports the wasm as a module (workerd cannot compile bytes)', () => {
    const graph = moduleGraph(entries.workerd);
    const wasm = graph.flatMap((m) => m.imports.filter((i) => i.specifier?.endsWith('.wasm') && !i.dynamic));
    assert.equal(wasm.length, 1, 'one static .wasm import');
    assert.ok(existsSync(join(packageRoot, 'dist', wasm[0].specifier)), `${wasm[0].specifier} exists beside the entry`);
  });
});

describe('the exports map', () => {
  const conditions = { ...runtimeConditions, default: [] };
  for (const [runtime, list] of Object.entries(conditions)) {
    it(`"." resolves for ${runtime} to a file that exists`, () => {
      const file = resolveExport(pkg, '.', list);
      assert.ok(file, `no match for ${runtime}`);
      assert.ok(existsSync(join(packageRoot, file)), `${file} is missing`);
    });
  }

  it('"./blake3.wasm" resolves to a valid WebAssembly module', () => {
    const file = resolveExport(pkg, './blake3.wasm', runtimeConditions.node);
    assert.ok(WebAssembly.validate(readFileSync(join(packageRoot, file))));
  });

  it('the conditions are in the order runtimes need: types first, default last', () => {
    const keys = Object.keys(pkg.exports['.']);
    assert.equal(keys[0], 'types');
    assert.equal(keys.at(-1), 'default');
  });

  it('TypeScript resolves "mpl-sdk" to the declarations (bundler and node16 resolution)', () => {
    const from = join(packageRoot, 'test/build/consumer.ts');
    for (const moduleResolution of [ts.ModuleResolutionKind.Bundler, ts.ModuleResolutionKind.Node16]) {
      const options = { moduleResolution, module: moduleResolution === ts.ModuleResolutionKind.Bundler ? ts.ModuleKind.ESNext : ts.ModuleKind.Node16 };
      const resolved = ts.resolveModuleName('mpl-sdk', from, options, ts.sys, undefined, undefined, ts.ModuleKind.ESNext).resolvedModule;
      assert.equal(resolved?.resolvedFileName, join(packageRoot, resolveExport(pkg, '.', runtimeConditions.types)));
    }
  });

  it('a strict TypeScript consumer compiles against the declarations alone (no @types/node, skipLibCheck off)', async () => {
    const compiled = await compileConsumer([
      "import { Session, MplEnvelope, SchemaFidelityError, semanticHash, SchemaValidator, embeddedRegistry, type NegotiatedCapabilities } from 'mpl-sdk';",
      "const session = new Session({ endpoint: 'ws://127.0.0.1:8080/ws', stypes: ['org.calendar.Event.v1'], qomProfile: 'qom-basic' });",
      'const caps: NegotiatedCapabilities = await session.connect();',
      "const reply: MplEnvelope<{ title: string }> = await session.send('org.calendar.Event.v1', { title: 'x', start: '2024-01-15T10:00:00Z' });",
      "const issues = await new SchemaValidator(embeddedRegistry()).validate('org.calendar.Event.v1', {});",
      'const hash: string = await semanticHash(reply.getPayload());',
      'export { caps, issues, hash, SchemaFidelityError };',
    ]);
    for (const { resolution, problems, files } of compiled) {
      assert.deepEqual(problems, [], `moduleResolution ${resolution}`);
      assert.ok(files.some((f) => f.endsWith('dist/index.d.ts')), 'the package declarations were read');
    }
  });

  it('Node resolves import "mpl-sdk" to its node condition', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('mpl-sdk'))"], { cwd: packageRoot });
    assert.equal(stdout.trim(), pathToFileURL(join(packageRoot, resolveExport(pkg, '.', runtimeConditions.node))).href);
  });

  it('Bun resolves import "mpl-sdk" to its bun condition', async () => {
    const { stdout } = await run(join(packageRoot, 'node_modules/.bin/bun'), ['-e', "console.log(import.meta.resolve('mpl-sdk'))"], { cwd: packageRoot });
    assert.equal(stdout.trim(), pathToFileURL(join(packageRoot, resolveExport(pkg, '.', runtimeConditions.bun))).href);
  });

  it('Deno resolves "npm:mpl-sdk" from a project folder to its deno condition, without any permission', async () => {
    const dir = await makeDenoProject();
    try {
      await writeFile(join(dir, 'resolve.mjs'), "console.log(import.meta.resolve('npm:mpl-sdk'));");
      const { stdout } = await run(denoBin, ['run', '--no-prompt', '--no-lock', '--config', join(dir, 'deno.json'), join(dir, 'resolve.mjs')], { cwd: dir, env: { ...process.env, ...denoEnv } });
      assert.equal(stdout.trim(), pathToFileURL(join(packageRoot, resolveExport(pkg, '.', runtimeConditions.deno))).href);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a Worker bundler (esbuild with workerd, worker, browser) picks the workerd entry', async () => {
    const result = await build({
      stdin: { contents: "export * from 'mpl-sdk';", resolveDir: packageRoot, loader: 'js' },
      bundle: true, write: false, format: 'esm', platform: 'neutral', conditions: workerConditions,
      external: ['*.wasm', 'node:*'], metafile: true, logLevel: 'silent',
    });
    assert.ok(Object.keys(result.metafile.inputs).includes(resolveExport(pkg, '.', runtimeConditions.workerd).replace(/^\.\//, '')));
  });
});
