// The test server in a process of its own, for benchmarks: prints its port, runs until stdin closes.
import { startTestServer } from './mpl-test-server.ts';

const server = await startTestServer({ keepReceived: false });
process.stdout.write(`${server.port}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
