import { readFileSync } from 'node:fs';
import { loadHasher } from '../dist/node.js';
const load = (n) => JSON.parse(readFileSync(`test/fixtures/bench/${n}.json`,'utf8'));
const [s,m,l] = ['small','medium','large'].map(load);
const h = await loadHasher();
function t(name, f, ms=300){ for(let i=0;i<1e4;i++) f(); let n=0; const st=process.cpuUsage(); let e; do { for(let i=0;i<1000;i++) f(); n+=1000; e=process.cpuUsage(st);} while((e.user+e.system)<ms*1e3); console.log(name, ((e.user+e.system)*1e3/n).toFixed(0),'ns'); }
const mode = process.argv[2];
for (let r=0;r<4;r++){
  t('small', ()=>h.hash(s));
  if (mode==='poly') { t('medium', ()=>h.hash(m)); t('large', ()=>h.hash(l), 300); }
}
