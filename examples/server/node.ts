import { serveNode } from 'mpl-sdk/server/node';
import { calendarServer } from './calendar.ts';

const running = await serveNode(calendarServer(), { port: Number(process.argv[2] ?? 8080) });
console.log(`Listening on ${running.url}/`);
