import { readFileSync } from 'node:fs';
import { writeCanonicalBytes } from '../src/hashing/canonical-bytes.ts';
const p = JSON.parse(readFileSync('test/fixtures/bench/small.json','utf8'));
const heap = new Uint8Array(1<<17); const view = new DataView(heap.buffer);
const w = { heap, view, pos: 0, end: 65536, reserve(n:number){ throw new Error('x'); }, restart(){ this.pos=0; } };
const { instance } = await WebAssembly.instantiate(readFileSync('dist/blake3.wasm'));
const x:any = instance.exports; x.memory.grow(4);
const wheap = new Uint8Array(x.memory.buffer);
const base = Number(x.__heap_base.value);
const td = new TextDecoder();
const sub = wheap.subarray(base+32, base+99);
function t(name:string, f:()=>unknown, n=3e6){ for(let i=0;i<3e5;i++) f(); const s=process.cpuUsage(); for(let i=0;i<n;i++) f(); const e=process.cpuUsage(s); console.log(name, ((e.user+e.system)*1e3/n).toFixed(1),'ns'); }
const buf = Buffer.from(x.memory.buffer);
for (let r=0;r<3;r++){
 t('walk', ()=>{ w.pos=0; writeCanonicalBytes(p, w); return w.pos; });
 t('td.decode(67)', ()=>td.decode(sub));
 t('buf.latin1Slice', ()=>(buf as any).latin1Slice(base+32, base+99));
 t('buf.toString latin1', ()=>buf.toString('latin1', base+32, base+99));
 t('fromCharCode.apply', ()=>String.fromCharCode.apply(null, sub as any));
}
