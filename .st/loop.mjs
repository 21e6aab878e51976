import { readFileSync } from 'node:fs';
import { loadHasher } from '../dist/node.js';
const p = JSON.parse(readFileSync('../test/fixtures/bench/small.json','utf8'));
const h = await loadHasher();
let s=0; const t0=Date.now();
while (Date.now()-t0 < 4000) for (let i=0;i<10000;i++) s+=h.hash(p).length;
console.log(s);
