// Node built-ins (also provided by Deno and Bun), imported only when a directory registry
// is used, so that the universal bundle never loads them in a browser or Worker.
export async function nodeBuiltins() {
  const [fs, path, url] = await Promise.all([import('node:fs/promises'), import('node:path'), import('node:url')]);
  return { fs, path, url };
}
