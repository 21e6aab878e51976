// A strict TypeScript consumer of the installed package: a project folder with mpl-sdk in
// node_modules (a link to this repository), one source file, compiled under bundler and
// node16 resolution with no @types/node and skipLibCheck off.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../runtimes/support/exports.mjs';

/**
 * Compiles `lines` as consumer.ts under each resolution; resolves with, per resolution,
 * its name, the diagnostics, and the file names the program read.
 */
export async function compileConsumer(lines) {
  const dir = await mkdtemp(join(tmpdir(), 'mpl-types-'));
  try {
    await mkdir(join(dir, 'node_modules'));
    await symlink(packageRoot, join(dir, 'node_modules', 'mpl-sdk'), 'dir');
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    await writeFile(join(dir, 'consumer.ts'), lines.join('\n'));
    const out = [];
    for (const [moduleResolution, module] of [[ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext], [ts.ModuleResolutionKind.Node16, ts.ModuleKind.Node16]]) {
      const program = ts.createProgram([join(dir, 'consumer.ts')], {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module, moduleResolution, types: [], skipLibCheck: false,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      });
      out.push({
        resolution: ts.ModuleResolutionKind[moduleResolution],
        problems: ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
        files: program.getSourceFiles().map((f) => f.fileName),
      });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
