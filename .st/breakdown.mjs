import { readFileSync } from 'node:fs';
import { loadHasher } from '../dist/node.js';
const p = JSON.parse(readFileSync('test/fixtures/bench/small.json','utf8'));
const h = await loadHasher();
const text = JSON.stringify(p);
const bytes = new TextEncoder().encode(text);
function t(name, f, n=2e6){ for(let i=0;i<2e5;i++) f(); const s=process.cpuUsage(); for(let i=0;i<n;i++) f(); const e=process.cpuUsage(s); console.log(name, ((e.user+e.system)*1e3/n).toFixed(0),'ns'); }
for (let r=0;r<3;r++){
t('hash', ()=>h.hash(p));
t('blake3 bytes(136)', ()=>h.blake3(bytes));
t('JSON.stringify', ()=>JSON.stringify(p));
t('Object.keys+values', ()=>{Object.keys(p); Object.values(p);});
}
