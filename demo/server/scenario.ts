import { heartbeat } from './answers.ts';

let plans = 0;

/** A task plan the server hands to a client, as an A2A peer would. */
function samplePlan(): Record<string, unknown> {
  plans += 1;
  return {
    id: `plan-${plans}`,
    title: 'Prepare the quarterly review',
    objective: 'Book the review meeting and collect the figures',
    steps: [
      { id: 'step-1', description: 'Find a free slot', tool: 'calendar.find_slot', args: { duration_minutes: 60 } },
      { id: 'step-2', description: 'Invite the team', tool: 'calendar.create_event', args: { title: 'Quarterly review', start: '2026-12-01T09:00:00Z', duration_minutes: 60 }, args_stype: 'org.calendar.Event.v1' },
    ],
  };
}

/** After a handshake: push a task plan and a heartbeat, each only if the client negotiated it. */
export async function pushOnConnect(push: (stype: string, payload: unknown) => Promise<unknown>, common: readonly string[]): Promise<void> {
  if (common.includes('org.agent.TaskPlan.v1')) await push('org.agent.TaskPlan.v1', samplePlan());
  if (common.includes('org.agent.Heartbeat.v1')) await push('org.agent.Heartbeat.v1', heartbeat());
}
