// Download sizes beside issue 14's goals (esbuild-minified, gzip -9, as test/build/size.mjs
// measures them for the size test): the browser entry's start-up JS, and what a WebSocket
// session's first validated, hashed send loads (start-up, validator engine, embedded
// registry, wasm).
import { BUDGET, FIRST_MESSAGE_CHUNKS, GOAL, firstMessageChunks, measureEntry, measureWasm } from '../build/size.mjs';
import { printTable } from './timing.ts';

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const rows: string[][] = [];
for (const runtime of ['browser', 'workerd'] as const) {
  const m = await measureEntry(runtime);
  const firstChunks = firstMessageChunks(m);
  const firstMessage = m.startup.gzip + firstChunks.reduce((sum, c) => sum + c.gzip, 0) + measureWasm().gzip;
  rows.push([`${runtime}: start-up JS`, kb(m.startup.gzip), kb(GOAL.startup), `${(m.startup.gzip / GOAL.startup).toFixed(2)}×`, kb(BUDGET.startup)]);
  rows.push([`${runtime}: first WebSocket message`, kb(firstMessage), kb(GOAL.firstMessage), `${(firstMessage / GOAL.firstMessage).toFixed(2)}×`, kb(BUDGET.firstMessage)]);
  for (const c of m.chunks) rows.push([`${runtime}: on demand ${c.name}`, kb(c.gzip), '', '', kb(BUDGET.chunk)]);
}
printTable(['min+gzip', 'size', 'goal', 'size / goal', 'size-test budget'], rows);
console.log('first WebSocket message: start-up + ' + FIRST_MESSAGE_CHUNKS.join(' + ') + ' (and the chunks they import) + blake3.wasm (gzip). The size test holds the budgets; a budget moves to its goal once met.');
