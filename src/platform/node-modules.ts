// Node built-ins and the `ws` package, for the Node build (dist/node.js: Node, Deno, Bun)
// and the sources under tests. The browser and Worker builds use node-modules.web.ts
// instead (rollup.config.mjs swaps it in), so their bundles hold no Node-only code path.

/** The Node modules the SDK may need, each imported only when first used. */
export interface NodeModules {
  /** `node:fs/promises`, `node:path` and `node:url` (directory registries, reading blake3.wasm). */
  builtins(): Promise<{ fs: typeof import('node:fs/promises'); path: typeof import('node:path'); url: typeof import('node:url') }>;
  /** The `ws` package (Node 20 has no global WebSocket). */
  ws(): Promise<{ WebSocket?: unknown; default?: unknown }>;
}

export const nodeModules: NodeModules | undefined = {
  async builtins() {
    const [fs, path, url] = await Promise.all([import('node:fs/promises'), import('node:path'), import('node:url')]);
    return { fs, path, url };
  },
  ws: () => import('ws') as Promise<{ WebSocket?: unknown; default?: unknown }>,
};
