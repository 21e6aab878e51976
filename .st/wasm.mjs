import { readFileSync } from 'node:fs';
for (const f of ['dist/blake3.wasm','wasm/blake3-scalar.wasm']) {
const { instance } = await WebAssembly.instantiate(readFileSync(f));
const x = instance.exports;
const base = Number(x.__heap_base.value);
x.memory.grow(4);
const heap = new Uint8Array(x.memory.buffer);
const inp = base + 1024, out = base;
for (let i=0;i<136;i++) heap[inp+i]=i;
function t(name, f, n=3e6){ for(let i=0;i<2e5;i++) f(); const s=process.cpuUsage(); for(let i=0;i<n;i++) f(); const e=process.cpuUsage(s); console.log(f.name||name, name, ((e.user+e.system)*1e3/n).toFixed(1),'ns'); }
for (let r=0;r<3;r++){
for (const len of [0, 64, 136, 1024, 3797]) t(f+' hash len '+len, ()=>x.hash(inp, len, out));
}}
