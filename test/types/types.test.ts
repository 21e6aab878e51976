// Type-level tests: the compiler checks payloads against StypePayloads, for the SDK's own
// STypes (dist/index.d.ts, as users get it) and for a registry typed by `mpl-sdk types`.
// Each case file is compiled under the project's strict options; `@ts-expect-error` lines
// prove the failures (an unused one is itself an error).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cases = join(root, 'test/types/cases');
const generatedDir = join(cases, 'generated');
const generated = join(generatedDir, 'mpl-stypes.d.ts');
const generatedOverride = join(generatedDir, 'override-stypes.d.ts');

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: false, // the generated .d.ts and dist/index.d.ts are checked too
  skipDefaultLibCheck: true,
};

// Each program reuses the files the previous one parsed (lib.dom.d.ts, dist/index.d.ts…).
let previous: ts.Program | undefined;

/** Every diagnostic of a program made of `files`, as `file:line message` lines. */
function diagnostics(files: string[]): string[] {
  const program = ts.createProgram(files, options, undefined, previous);
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(root.length)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('typed payloads (tsc over test/types/cases)', () => {
  before(async () => {
    await rm(generatedDir, { recursive: true, force: true });
    await mkdir(generatedDir, { recursive: true });
    await promisify(execFile)(process.execPath, [join(root, 'dist/cli.js'), 'types', 'test/types/registry', '-o', generated], { cwd: root });
    await promisify(execFile)(process.execPath, [join(root, 'dist/cli.js'), 'types', 'test/types/override-registry', '-o', generatedOverride], { cwd: root });
  });

  it('a registry that redefines an SType the SDK ships: its own type wins (RegistryPayloads), the SDK\'s others stay (override.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'override.ts'), generatedOverride]), []);
    // Without the file, the SDK's TaskResult applies: the registry's payloads fail, the SDK's status compiles.
    const found = diagnostics([join(cases, 'override.ts')]);
    assert.ok(found.some((d) => d.includes("Unused '@ts-expect-error' directive")), found.join('\n'));
    assert.ok(found.some((d) => d.includes('"done"')), found.join('\n'));
  });

  it('the embedded registry: known STypes checked, others unknown, replies narrowed (embedded.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'embedded.ts')]), []);
  });

  it('Client.call: the tools of ClientTools, the payload of its stype option, call<T, A>; untyped calls as before (client.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'client.ts')]), []);
  });

  it('without the ClientTools block, its tools are untyped and their mistakes compile (the checks come from the map)', () => {
    const withoutMap = join(generatedDir, 'client-without-tools.ts');
    const text = readFileSync(join(cases, 'client.ts'), 'utf8');
    writeFileSync(withoutMap, text.replace(/^declare module 'mpl-sdk' \{[\s\S]*?^\}\n/m, ''));
    const found = diagnostics([withoutMap]);
    assert.ok(!readFileSync(withoutMap, 'utf8').includes('interface ClientTools'));
    assert.ok(found.some((d) => d.includes("Unused '@ts-expect-error' directive")), found.join('\n'));
  });

  it('TypingOptions.knownStypesOnly: a misspelt, unknown or malformed SType does not compile; known ones, their urn form and the catch-all do (known-only.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'known-only.ts')]), []);
    // Without the option, the same lines compile (their payloads unknown): the checks come from it.
    const without = join(generatedDir, 'known-only-without.ts');
    writeFileSync(without, readFileSync(join(cases, 'known-only.ts'), 'utf8').replace(/^declare module 'mpl-sdk' \{[\s\S]*?^\}\n/m, ''));
    const found = diagnostics([without]);
    assert.deepEqual(found.filter((d) => d.includes("Unused '@ts-expect-error' directive")).length, 5, found.join('\n'));
  });

  it('QoM profile names: builtin takes the four names only, isBuiltin narrows, any string where a registry\'s own profile is allowed (qom.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'qom.ts')]), []);
  });

  it('mpl-sdk/server handlers: the payload typed from its SType, ctx.reply checked against its own (server.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'server.ts')]), []);
  });

  it('a registry typed by `mpl-sdk types` and merged into StypePayloads: $ref, enum, nested, arrays, optional, additionalProperties (generated.ts)', () => {
    assert.deepEqual(diagnostics([join(cases, 'generated.ts'), generated]), []);
  });

  it('without the generated file, its STypes are unknown and the same mistakes compile (the checks come from the file)', () => {
    const found = diagnostics([join(cases, 'generated.ts')]);
    assert.ok(found.length >= 9, found.join('\n'));
    assert.ok(found.some((d) => d.includes("Unused '@ts-expect-error' directive")), found.join('\n'));
  });

  it('the compiler says what is wrong: the misspelt field and its fix, the missing field, the allowed values, the expected type', () => {
    const found = diagnostics([join(cases, 'readable.ts')]).join('\n');
    assert.match(found, /'titel' does not exist in type 'OrgCalendarEventV1'.*Did you mean to write 'title'\?/s);
    assert.match(found, /Property 'start' is missing in type '\{ title: string; \}' but required in type 'OrgCalendarEventV1'/);
    assert.match(found, /Type '"maybe"' is not assignable to type '("confirmed"|"tentative"|"cancelled"| \| )+'/);
    assert.match(found, /Type 'string' is not assignable to type 'number'/);
    // An async handler's wrong payload: said as such, not after a chain of incompatible `then` signatures.
    assert.match(found, /Type '"later"' is not assignable to type '("confirmed"|"tentative"|"cancelled"| \| )+'/);
    assert.doesNotMatch(found, /Types of property 'then' are incompatible/);
  });
});
