// mpl-sdk/qom as built: the subpath resolves in every runtime to a file that exists, which
// imports nothing but that platform's SDK entry (one MplError, one QomBreachError); the SDK
// entries hold no QoM evaluation and reach it only by a dynamic import (a chunk loaded on
// demand: test/build/size.test.mjs); a strict TypeScript consumer compiles against it, and
// the compiler points a user who takes the class from `mpl-sdk`, or compares a reported
// metric as a number, to the right door.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot, readPackageJson, resolveExport, runtimeConditions } from '../runtimes/support/exports.mjs';
import { distImports, sdkBundleSources } from './module-graph.mjs';
import { compileConsumer } from './ts-consumer.mjs';

const pkg = readPackageJson();
const RUNTIMES = ['node', 'deno', 'bun', 'workerd', 'browser'];

describe('the mpl-sdk/qom entry', () => {
  for (const runtime of [...RUNTIMES, 'types']) {
    it(`"./qom" resolves for ${runtime} to a file that exists`, () => {
      const file = resolveExport(pkg, './qom', runtimeConditions[runtime]);
      assert.ok(file, `no match for ${runtime}`);
      assert.ok(existsSync(join(packageRoot, file)), `${file} is missing`);
    });
  }

  it('"./qom": types first, default last; typesVersions maps it for node10 resolution', () => {
    const keys = Object.keys(pkg.exports['./qom']);
    assert.equal(keys[0], 'types');
    assert.equal(keys.at(-1), 'default');
    assert.deepEqual(pkg.typesVersions['*'].qom, [pkg.exports['./qom'].types]);
  });

  it('each platform\'s QoM file imports nothing but that platform\'s SDK entry, which imports it only on demand', () => {
    for (const runtime of RUNTIMES) {
      const [entry, qom] = ['.', './qom'].map((subpath) => resolveExport(pkg, subpath, runtimeConditions[runtime]).replace('./dist/', ''));
      assert.deepEqual(distImports(qom), { statics: [`./${entry}`], dynamics: [] }, `${runtime}: ${qom}`);
      const { statics, dynamics } = distImports(entry);
      assert.deepEqual(statics.filter((s) => !s.endsWith('.wasm')), [], `${runtime}: ${entry} imports no JavaScript at start-up`);
      assert.ok(dynamics.includes(`./${qom}`), `${runtime}: ${entry} loads ${qom} on demand`);
    }
  });

  it('the SDK entries hold no QoM evaluation code', () => {
    assert.deepEqual(sdkBundleSources((s) => s.endsWith('/protocol/qom.ts')), []);
  });

  it('a strict TypeScript consumer compiles against it; the class from mpl-sdk, or a reported metric compared as a number, does not compile', async () => {
    const compiled = await compileConsumer([
      "import { Client, type QomReport, type QomProfile as Profile } from 'mpl-sdk';",
      "import * as sdk from 'mpl-sdk';",
      "import { QomProfile, readQomReport, metricsFromReport, type QomEvaluation } from 'mpl-sdk/qom';",
      "const profile: Profile = QomProfile.builtin('qom-strict-argcheck');",
      "export const client = new Client('http://127.0.0.1:9/mcp', { profile });",
      "const report: QomReport = { meets_profile: true, metrics: { schema_fidelity: 1, instruction_compliance: { score: 0.98, details: {} }, groundedness: null } };",
      'export const verdict: QomEvaluation = profile.evaluateReport(report);',
      'export const read: number | undefined = readQomReport(report).metrics.instructionCompliance ?? metricsFromReport(report).schemaFidelity;',
      "export const wrongDoor = sdk.QomProfile.builtin('qom-basic');",
      'export const compared = report.metrics?.schema_fidelity > 0.9;',
    ]);
    for (const { resolution, problems, files } of compiled) {
      assert.ok(files.some((f) => f.endsWith('dist/qom.d.ts')), `${resolution}: reads dist/qom.d.ts`);
      const [wrongDoor, ...compared] = problems;
      assert.match(wrongDoor ?? '', /Property 'QomProfile' does not exist/, `${resolution}: the class is not a value of mpl-sdk`);
      assert.ok(compared.length > 0, `${resolution}: comparing a reported metric does not compile`);
      for (const problem of compared) assert.match(problem, /schema_fidelity' is possibly 'null' or 'undefined'|Operator '>' cannot be applied to types 'number \| \{/, resolution);
    }
  });
});
