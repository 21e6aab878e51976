// Entry of the `mpl-sdk` bin (dist/cli.js): the process's arguments and streams.
import { decodeUtf8 } from './command.ts';
import { run } from './main.ts';

async function stdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return decodeUtf8(Buffer.concat(chunks), 'stdin');
}

// A reader that goes away (`mpl-sdk hash big.json | head -c 5`) ends the output, not the process with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin,
});
