// Which BLAKE3 module the package instantiates here (its size in bytes), and the semantic
// hash of a payload whose canonical form spans four 1 KiB chunks (the four-chunk path).
const sizes = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = (source, imports) => {
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) sizes.push(source.byteLength);
  return instantiate(source, imports);
};
const { semanticHash } = await import('mpl-sdk');
const payload = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) };
console.log(JSON.stringify({ arch: process.arch, sizes, hash: await semanticHash(payload) }));
