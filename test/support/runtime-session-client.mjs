// Run by test/session/runtimes.test.ts in Node, Deno and Bun: the built bundle's Session
// over WebSocket (send, a push through listen()) and HTTP against the Node test server.
import { Session } from '../../dist/node.js'; // the file the exports map gives Node, Deno and Bun

const port = globalThis.Deno ? globalThis.Deno.args[0] : process.argv.at(-1);
const ws = await Session.open({ endpoint: `ws://127.0.0.1:${port}/ws`, stypes: ['org.calendar.Event.v1', 'org.agent.Heartbeat.v1'], timeoutMs: 10_000 });
const reply = await ws.send('org.calendar.Event.v1', { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 });
let pushed;
ws.onMessage('org.agent.Heartbeat.v1', (envelope) => { pushed = envelope.getPayload(); void ws.close(); });
console.log('ready'); // the test server pushes a heartbeat when it reads this line
await ws.listen();
const http = await Session.open({ endpoint: `http://127.0.0.1:${port}/mcp`, stypes: ['org.calendar.Event.v1'], timeoutMs: 10_000 });
const httpReply = await http.send('org.calendar.Event.v1', { title: 'Team Sync', start: '2024-01-15T10:00:00Z' });
await http.close();
console.log(JSON.stringify({ wsHash: reply.semHash, inReplyTo: typeof reply.inReplyTo, pushed, httpStype: httpReply.stype }));
