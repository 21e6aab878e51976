// `npm run demo`: starts the reference server on a free port and runs the three examples
// of session-reference.md against it with the SDK's Session. Exits 0 when all behaved.
// `npm run demo -- --serve [--port N]` then keeps the server up for the browser demo.
import { parseArgs } from 'node:util';
import { gracefulShutdown } from './examples/graceful-shutdown.ts';
import { httpValidation } from './examples/http-validation.ts';
import { websocketHandlers } from './examples/websocket-handlers.ts';
import { startReferenceServer } from './server/index.ts';
import { expect, line, summary } from './transcript.ts';

const { values } = parseArgs({ options: { serve: { type: 'boolean', default: false }, port: { type: 'string', default: '0' } } });

const server = await startReferenceServer({ port: Number(values.port), mode: 'production', pushOnConnect: true });
console.log(`MPL walkthrough: reference server at ${server.url} (${server.mode} mode, ${server.stypes.length} STypes, replies name their request)`);

for (const example of [websocketHandlers, httpValidation, gracefulShutdown]) {
  try {
    await example(server);
  } catch (error) {
    expect(false, `${example.name} threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
  }
}

const byKind = new Map<string, number>();
for (const r of server.recorded) byKind.set(`${r.transport} ${r.kind}`, (byKind.get(`${r.transport} ${r.kind}`) ?? 0) + 1);
console.log('\nThe server recorded');
line([...byKind].map(([kind, n]) => `${n} ${kind}`).join(', '));
line(`${server.recorded.filter((r) => r.blocked).length} blocked, ${server.recorded.filter((r) => r.hashOk).length} hashes verified, ${server.pushed.length} envelopes pushed`);
const code = summary();

if (values.serve) {
  console.log(`\nBrowser demo: ${server.url}/   (WebSocket ${server.wsUrl}; Ctrl-C stops the server)`);
  process.once('SIGINT', () => void server.close().then(() => process.exit(code)));
} else {
  await server.close();
  process.exitCode = code;
  // Everything is closed now, so the process ends by itself; if something still holds it, say so.
  setTimeout(() => {
    console.error('The walkthrough finished but something (a socket or a timer) kept the process alive.');
    process.exit(1);
  }, 5000).unref();
}
