import { readFileSync } from 'node:fs';
const { instance } = await WebAssembly.instantiate(readFileSync('dist/blake3.wasm'));
const x = instance.exports; x.memory.grow(4);
const base = Number(x.__heap_base.value);
const wheap = new Uint8Array(x.memory.buffer);
for (let i=0;i<136;i++) wheap[base+1024+i]=i;
x.hash(base+1024,136,base);
const sub = wheap.subarray(base+32, base+99);
const td = new TextDecoder();
const buf = Buffer.from(x.memory.buffer);
const HEX = Array.from({length:256},(_,i)=>i.toString(16).padStart(2,'0'));
const o=base+32;
const variants = {
  td: () => td.decode(sub),
  latin1: () => buf.latin1Slice(o, o+67),
  ascii: () => buf.asciiSlice(o, o+67),
  utf8: () => buf.utf8Slice(o, o+67),
  hexSlice: () => 'b3:' + buf.hexSlice(base, base+32),
  table: () => { let s='b3:'; for (let i=0;i<32;i++) s+=HEX[wheap[base+i]]; return s; },
};
let sink=0; const ref = td.decode(sub);
for (const f of Object.values(variants)) if (f()!==ref) throw new Error('differ');
const res = Object.fromEntries(Object.keys(variants).map(k=>[k,[]]));
for (let r=0;r<15;r++) for (const [k,f] of Object.entries(variants)) {
  const n=3e5; const s=process.cpuUsage(); for(let i=0;i<n;i++){ const t=f(); sink += (t===ref)?1:0; } const e=process.cpuUsage(s); res[k].push((e.user+e.system)*1e3/n);
}
for (const [k,v] of Object.entries(res)) { v.sort((a,b)=>a-b); console.log(k.padEnd(9), 'median', v[7].toFixed(1), 'min', v[0].toFixed(1)); }
