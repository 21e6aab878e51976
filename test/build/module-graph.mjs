// Reads the built files as a runtime would load them: an entry plus every module it
// imports, statically or through a literal dynamic import, with each file's AST.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAst } from 'rollup/parseAst';
import { packageRoot } from '../runtimes/support/exports.mjs';

/** Calls `visit(node, parents)` for every node of an ESTree AST. */
export function walk(node, visit, parents = []) {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parents);
    return;
  }
  if (typeof node.type !== 'string') return;
  visit(node, parents);
  const inner = [...parents, node];
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'type' && key !== 'start' && key !== 'end' && typeof value === 'object') walk(value, visit, inner);
  }
}

/** The static and literal-dynamic import specifiers of a module. */
export function importsOf(ast) {
  const found = [];
  walk(ast, (node) => {
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      found.push({ specifier: node.source.value, dynamic: false, start: node.start });
    } else if (node.type === 'ImportExpression' && node.source.type === 'Literal' && typeof node.source.value === 'string') {
      found.push({ specifier: node.source.value, dynamic: true, start: node.start });
    } else if (node.type === 'ImportExpression') {
      found.push({ specifier: undefined, dynamic: true, start: node.start });
    }
  });
  return found;
}

/** A built file of dist/ (`'index.js'`): the specifiers it imports statically, and by a literal `import()`. */
export function distImports(file) {
  const found = importsOf(parseAst(readFileSync(join(packageRoot, 'dist', file), 'utf8')));
  return { statics: found.filter((i) => !i.dynamic).map((i) => i.specifier), dynamics: found.filter((i) => i.dynamic).map((i) => i.specifier) };
}

/** The SDK's client bundles in dist/, one per platform. */
export const SDK_BUNDLES = ['index.js', 'node.js', 'workerd.js'];

/** The source files a built file of dist/ was made from (its source map's `sources`). */
export function distSources(file) {
  return JSON.parse(readFileSync(join(packageRoot, 'dist', `${file}.map`), 'utf8')).sources;
}

/** The sources that `matches` accepts in the SDK's client bundles, as `bundle: source` (none: an empty list). */
export const sdkBundleSources = (matches) => SDK_BUNDLES.flatMap((file) => distSources(file).filter(matches).map((source) => `${file}: ${source}`));

/**
 * Every JS module reachable from `entry` (a path relative to the package root), with its
 * source, AST, imports and whether it is loaded at start-up (`eager`) or only on demand.
 */
export function moduleGraph(entry) {
  const modules = new Map();
  const visit = (file, eager) => {
    const known = modules.get(file);
    if (known) {
      known.eager ||= eager;
      if (!eager) return;
    }
    const source = readFileSync(join(packageRoot, file), 'utf8');
    const ast = parseAst(source);
    const imports = importsOf(ast);
    modules.set(file, { file, source, ast, imports, eager: eager || (known?.eager ?? false) });
    for (const imp of imports) {
      if (imp.specifier === undefined || !imp.specifier.startsWith('.') || !/\.m?js$/.test(imp.specifier)) continue;
      visit(relative(packageRoot, join(packageRoot, dirname(file), imp.specifier)), eager && !imp.dynamic);
    }
  };
  visit(entry.replace(/^\.\//, ''), true);
  return [...modules.values()];
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** True when `node` runs at module load: not inside a function, nor an instance field initializer. */
export function atModuleLevel(parents) {
  return !parents.some((p) => FUNCTION_TYPES.has(p.type) || (p.type === 'PropertyDefinition' && !p.static));
}

/** The line number of a character offset. */
export function lineOf(source, offset) {
  return source.slice(0, offset).split('\n').length;
}
