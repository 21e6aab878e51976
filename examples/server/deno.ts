import { denoHandler } from 'mpl-sdk/server';
import { calendarServer } from './calendar.ts';

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.args[0] ?? 8080) }, denoHandler(calendarServer()));
