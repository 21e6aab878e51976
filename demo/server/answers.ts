/** What the server answers to a payload: an SType it has a schema for, and a payload valid under it. */
export interface Answer {
  stype: string;
  payload: unknown;
}

/** The agent this server names itself as, in heartbeats and in provenance. */
export const AGENT_ID = 'mpl-reference-server';
const asObject = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

let scheduled = 0;
let beats = 0;

/** A heartbeat from this server. */
export function heartbeat(): Record<string, unknown> {
  beats += 1;
  return { status: 'alive', agent_id: AGENT_ID, sequence: beats };
}

/**
 * The answer of an MPL-aware calendar and agent service to a payload that passed its checks:
 * an event comes back as scheduled (same SType: an `id`, `status: "confirmed"`, its `end`
 * worked out from `duration_minutes`); a task result or heartbeat is acknowledged with a
 * heartbeat; anything else is echoed under its own SType.
 */
export function answerFor(stype: string, payload: unknown): Answer {
  switch (stype) {
    case 'org.calendar.Event.v1': {
      const event = asObject(payload);
      scheduled += 1;
      const reply: Record<string, unknown> = { ...event, id: event['id'] ?? `evt-${scheduled}`, status: 'confirmed' };
      const start = Date.parse(String(event['start']));
      if (event['end'] === undefined && typeof event['duration_minutes'] === 'number' && Number.isFinite(start)) {
        reply['end'] = rfc3339(start + event['duration_minutes'] * 60_000);
      }
      return { stype, payload: reply };
    }
    case 'org.agent.TaskResult.v1':
    case 'org.agent.Heartbeat.v1':
      return { stype: 'org.agent.Heartbeat.v1', payload: heartbeat() };
    default:
      return { stype, payload };
  }
}

/**
 * The answer to a payload that failed its checks, in development mode (production blocks
 * it instead): a failed task result naming the request and what was wrong.
 */
export function failureFor(requestId: string, errors: string[]): Answer {
  return {
    stype: 'org.agent.TaskResult.v1',
    payload: { plan_id: requestId, status: 'failed', error: { code: 'E-SCHEMA-FIDELITY', message: errors.join('; ') || 'invalid request', retryable: false } },
  };
}
