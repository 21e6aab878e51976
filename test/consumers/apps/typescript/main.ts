// Compiled by the TypeScript consumer cases under each tsconfig.*.json (strict, the
// package's declarations checked too: skipLibCheck false). The @ts-expect-error lines
// prove the compiler catches a user's mistakes.
import * as sdk from 'mpl-sdk';
import { Client, HashMismatchError, loadHasher, MplError, SchemaFidelityError, semanticHash, Session, type MplEnvelope, type QomReport } from 'mpl-sdk';
import { QomProfile, readQomReport } from 'mpl-sdk/qom';

const session = new Session({ endpoint: 'ws://localhost:8080/ws', stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] });
session.onMessage('org.agent.TaskPlan.v1', (plan: MplEnvelope) => {
  const { id } = plan.getPayload<{ id: string }>();
  console.log(id.toUpperCase());
});

export async function run(bytes: Uint8Array): Promise<string> {
  const hasher = await loadHasher(bytes); // a Node Buffer or any bytes
  const hash: string = hasher.hash({ status: 'alive' });
  try {
    const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' });
    return `${hash} ${reply.semHash ?? ''}`;
  } catch (error) {
    if (error instanceof SchemaFidelityError) return error.validationErrors.map((v) => `${v.path}: ${v.message}`).join('\n');
    if (error instanceof HashMismatchError) return `${error.expected} ≠ ${error.actual}`;
    if (error instanceof MplError) return error.code;
    throw error;
  }
}

// @ts-expect-error: the semantic hash is a string, not a number
export const wrong: Promise<number> = semanticHash({ status: 'alive' });
// @ts-expect-error: a Session needs its endpoint
export const incomplete = new Session({ stypes: ['org.calendar.Event.v1'] });

// QoM evaluation is its own entry; its types are mpl-sdk's too (a QomProfile from mpl-sdk/qom is a ClientOptions profile).
export const client = new Client('http://localhost:9443/mcp', { profile: QomProfile.builtin('qom-strict-argcheck') });
export const grounded = (report: QomReport): number | undefined => readQomReport(report).metrics.groundedness;
// @ts-expect-error: QomProfile's code is in mpl-sdk/qom; mpl-sdk exports only its type
export const notHere = sdk.QomProfile.builtin('qom-basic');
// @ts-expect-error: a reported metric may be {"score": …} or null, not always a number: read it with readQomReport
export const compared = (report: QomReport): boolean => report.metrics?.schema_fidelity > 0.9;
