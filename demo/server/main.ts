// The reference server from the command line:
//   tsx demo/server/main.ts --port 8080 [--mode production] [--replies id-less] [--quiet] [--control]
// (--control turns on the test-control endpoint, POST /__control/*: for tests only)
import { parseArgs } from 'node:util';
import { startReferenceServer } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    mode: { type: 'string', default: 'development' },
    replies: { type: 'string', default: 'in-reply-to' },
    heartbeat: { type: 'string', default: '0' },
    quiet: { type: 'boolean', default: false },
    control: { type: 'boolean', default: false },
  },
});

if (values.mode !== 'development' && values.mode !== 'production') throw new Error(`--mode must be development or production, not ${values.mode}`);
if (values.replies !== 'in-reply-to' && values.replies !== 'id-less') throw new Error(`--replies must be in-reply-to or id-less, not ${values.replies}`);

const server = await startReferenceServer({
  port: Number(values.port),
  host: values.host,
  mode: values.mode,
  replies: values.replies,
  pushOnConnect: true,
  ...(Number(values.heartbeat) > 0 ? { heartbeatIntervalMs: Number(values.heartbeat) } : {}),
  quiet: values.quiet,
  control: values.control,
});
console.log(`MPL reference server (${server.mode}, ${server.stypes.length} STypes)`);
console.log(`  demo page  ${server.url}/`);
console.log(`  WebSocket  ${server.wsUrl}`);
console.log(`  HTTP       ${server.url}/mcp`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
