import { workerdHandler } from 'mpl-sdk/server';
import { calendarServer } from './calendar.ts';

export default { fetch: workerdHandler(calendarServer()) };
