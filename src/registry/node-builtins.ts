// Node built-ins (also provided by Deno and Bun), imported only when a directory registry
// is used. The specifiers are variables so that browser and Worker bundlers leave them alone.
const FS = 'node:fs/promises';
const PATH = 'node:path';
const URL_MODULE = 'node:url';

export async function nodeBuiltins() {
  const [fs, path, url] = await Promise.all([
    import(/* @vite-ignore */ FS) as Promise<typeof import('node:fs/promises')>,
    import(/* @vite-ignore */ PATH) as Promise<typeof import('node:path')>,
    import(/* @vite-ignore */ URL_MODULE) as Promise<typeof import('node:url')>,
  ]);
  return { fs, path, url };
}
