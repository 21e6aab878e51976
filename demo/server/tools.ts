/** A tool the server offers through JSON-RPC `tools/call`. */
export interface Tool {
  description: string;
  /** The SType its arguments must match, checked against the registry. */
  argsStype?: string;
  /** Returns the structured result, or throws `InvalidToolArguments`. */
  run(args: Record<string, unknown>): unknown;
}

/** Arguments a tool cannot use: JSON-RPC error -32602. */
export class InvalidToolArguments extends Error {
  constructor(message: string, readonly problems: string[] = [message]) {
    super(message);
  }
}

let eventCounter = 0;

/** The tools of the reference server. */
export const TOOLS: Record<string, Tool> = {
  'calendar.create_event': {
    description: 'Schedules a calendar event (arguments: org.calendar.Event.v1).',
    argsStype: 'org.calendar.Event.v1',
    run(args) {
      eventCounter += 1;
      return { status: 'scheduled', event_id: `evt-${eventCounter}`, title: args['title'], start: args['start'] };
    },
  },
  echo: {
    description: 'Returns its arguments unchanged.',
    run: (args) => args,
  },
  'math.add': {
    description: 'Adds two numbers: {a, b} -> {sum}.',
    run(args) {
      const { a, b } = args;
      if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) {
        throw new InvalidToolArguments('math.add needs two finite numbers `a` and `b`');
      }
      return { sum: a + b };
    },
  },
};
