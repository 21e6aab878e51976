// Type-level cases for a registry that redefines an SType the SDK also ships
// (test/types/override-registry: its own org.agent.TaskResult.v1). The file `mpl-sdk types`
// writes for it puts the type into RegistryPayloads, which wins over the SDK's own.
// Checked by test/types/types.test.ts with that generated file; never run.
import { Session, type PayloadOf } from 'mpl-sdk';

declare const session: Session;

export async function compiles(): Promise<void> {
  await session.send('org.agent.TaskResult.v1', { plan_id: 'p-1', status: 'done', finished_at: '2024-03-01T14:00:00Z' });
  await session.send('urn:stype:org.agent.TaskResult.v1', { plan_id: 'p-1', status: 'failed', finished_at: '2024-03-01T14:00:00Z' });
  const status: 'done' | 'failed' = ({} as PayloadOf<'org.agent.TaskResult.v1'>).status;
  void status;
  // The SDK's other STypes are typed as before.
  await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
}

export async function fails(): Promise<void> {
  // @ts-expect-error the SDK's own status, which this registry does not have
  await session.send('org.agent.TaskResult.v1', { plan_id: 'p-1', status: 'completed', finished_at: '2024-03-01T14:00:00Z' });
  // @ts-expect-error this registry's required finished_at, missing
  await session.send('org.agent.TaskResult.v1', { plan_id: 'p-1', status: 'done' });
  // @ts-expect-error the SDK's Heartbeat is still checked
  await session.send('org.agent.Heartbeat.v1', { status: 'sleeping' });
}
