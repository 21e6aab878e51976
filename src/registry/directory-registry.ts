import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { nodeModules, type NodeModules } from '../platform/node-modules.ts';
import { checkProfile, checkProfileName, parseRegistryJson, type Registry } from './registry.ts';
import { loadEngine } from './load-engine.ts';

type Builtins = Awaited<ReturnType<NodeModules['builtins']>>;
const MAX_DEPTH = 32;

/** The registry in the folder `path` that `directoryRegistry` describes (it checks the path, and loads this on first use). */
export function openDirectoryRegistry(path: string): Registry {
  // The registry root with symlinks resolved, and the real path of `relative` inside it
  // (undefined when there is no such file).
  async function locate(relative: string): Promise<{ node: Builtins; file: string; real: string | undefined }> {
    if (!nodeModules) {
      throw new MplError(ErrorCode.Registry, `A registry folder (${path}) is read from disk, on Node, Deno or Bun; this build of mpl-sdk (browsers, Workers) has no file system: use an HTTP registry`, { details: { where: path } });
    }
    const node = await nodeModules.builtins();
    const root = path.startsWith('file:') ? node.url.fileURLToPath(path) : node.path.resolve(path);
    let realRoot: string;
    try {
      realRoot = await node.fs.realpath(root);
    } catch (cause) {
      throw new MplError(ErrorCode.Registry, `The registry folder ${root} cannot be read: ${(cause as Error).message}`, { details: { where: root }, cause });
    }
    const file = node.path.join(realRoot, ...relative.split('/'));
    let real: string;
    try {
      real = await node.fs.realpath(file);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { node, file, real: undefined };
      throw new MplError(ErrorCode.Registry, `${file} cannot be read: ${(cause as Error).message}`, { details: { where: file }, cause });
    }
    if (!real.startsWith(realRoot + node.path.sep)) {
      throw new MplError(ErrorCode.Registry, `${file} resolves to ${real}, outside the registry folder ${realRoot}`, { details: { where: file, resolved: real } });
    }
    return { node, file, real };
  }

  async function read(relative: string): Promise<{ file: string; text: string | undefined }> {
    const { node, file, real } = await locate(relative);
    if (real === undefined) return { file, text: undefined };
    try {
      return { file, text: await node.fs.readFile(real, 'utf8') };
    } catch (cause) {
      throw new MplError(ErrorCode.Registry, `${file} cannot be read: ${(cause as Error).message}`, { details: { where: file }, cause });
    }
  }

  return {
    source: path,
    async getSchema(stype) {
      const type = SType.parse(stype);
      const { file, text } = await read(type.schemaPath);
      if (text === undefined) throw new UnknownStypeError(type.id, file);
      return (await loadEngine()).checkSchema(type, parseRegistryJson(text, `schema of ${type.id}`, file), file);
    },
    async has(stype) {
      return (await locate(SType.parse(stype).schemaPath)).real !== undefined;
    },
    async list() {
      const { node, file: stypes, real } = await locate('stypes');
      if (real === undefined) return [];
      const found: string[] = [];
      const inside = `${await node.fs.realpath(node.path.join(real, '..'))}${node.path.sep}`;
      const walk = async (dir: string, parts: string[]) => {
        if (parts.length > MAX_DEPTH) return;
        for (const entry of await node.fs.readdir(dir, { withFileTypes: true })) {
          let kind: { isDirectory(): boolean; isFile(): boolean } = entry;
          if (entry.isSymbolicLink()) {
            // Followed as getSchema follows it, within the registry folder only.
            const target = await node.fs.realpath(node.path.join(dir, entry.name)).catch(() => undefined);
            if (target === undefined || !target.startsWith(inside)) continue;
            kind = await node.fs.stat(target);
          }
          if (kind.isDirectory()) await walk(node.path.join(dir, entry.name), [...parts, entry.name]);
          else if (kind.isFile() && entry.name === 'schema.json') {
            const type = SType.tryParse(parts.join('.'));
            if (type && type.registryPath === ['stypes', ...parts].join('/')) found.push(type.id);
          }
        }
      };
      try {
        await walk(real, []);
      } catch (cause) {
        throw new MplError(ErrorCode.Registry, `${stypes} cannot be listed: ${(cause as Error).message}`, { details: { where: stypes }, cause });
      }
      return found.sort();
    },
    async getProfile(name) {
      const { file, text } = await read(`profiles/${checkProfileName(name)}.json`);
      return text === undefined ? undefined : checkProfile(parseRegistryJson(text, `QoM profile "${name}"`, file), name, file);
    },
  };
}
