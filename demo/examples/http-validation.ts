// Example 2 of session-reference.md: an HTTP session with validation; a payload that
// breaks its schema (refused by the SDK, then by the server) and a handshake with nothing in common.
import { NegotiationError, SchemaFidelityError, Session } from 'mpl-sdk';
import type { ReferenceServer } from '../server/index.ts';
import { expect, heading, line, shortHash, since } from '../transcript.ts';

const BAD_EVENT = { title: '', start: 'tomorrow at ten', duration_minutes: -5, attendees: ['alice@example'] };

function printIssues(error: SchemaFidelityError): void {
  line(`SchemaFidelityError (${error.code}) for ${error.stype}:`);
  for (const issue of error.validationErrors) line(`  ${issue.path || '(root)'}: ${issue.message}`);
}

export async function httpValidation(server: ReferenceServer): Promise<void> {
  const endpoint = `${server.url}/mcp`;
  heading(`2. HTTP session with validation   ${endpoint}`);
  {
    const t0 = performance.now();
    await using session = await Session.open({
      endpoint,
      stypes: ['org.calendar.Event.v1'],
      qomProfile: 'qom-basic',
      autoValidate: true,
      autoHash: true,
    });
    const caps = session.capabilities!;
    line(`connected in ${since(t0)}: profile ${caps.selectedProfile}; common STypes ${caps.commonStypes.join(', ')}`);

    const t1 = performance.now();
    const response = await session.send('org.calendar.Event.v1', { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 });
    line(`→ sent    org.calendar.Event.v1; reply ${response.stype} ${shortHash(response.semHash)} (${since(t1)})`);
    line(`          payload ${JSON.stringify(response.getPayload())}`);
    expect(response.inReplyTo !== undefined && response.semHash !== undefined, 'example 2: the reply names its request and is hashed');

    try {
      await session.send('org.calendar.Event.v1', BAD_EVENT);
      expect(false, 'example 2: the SDK refuses an invalid event before sending it');
    } catch (error) {
      expect(error instanceof SchemaFidelityError && error.validationErrors.length >= 3, 'example 2: SchemaFidelityError with every problem');
      if (error instanceof SchemaFidelityError) printIssues(error);
    }

    const before = server.recorded.length;
    try {
      await session.send('org.calendar.Event.v1', BAD_EVENT, { validate: false });
      expect(false, 'example 2: the server blocks an invalid event');
    } catch (error) {
      line('with validate: false the event goes out, and the server (production mode) blocks it:');
      expect(error instanceof SchemaFidelityError, 'example 2: the server\'s refusal is a SchemaFidelityError');
      if (error instanceof SchemaFidelityError) printIssues(error);
    }
    const blocked = server.recorded.slice(before).find((r) => r.blocked);
    line(`server recorded: ${blocked ? `blocked over ${blocked.transport}, ${blocked.errors.length} problem(s)` : 'nothing blocked'}`);
    expect(blocked, 'example 2: the server recorded the blocked request');
  }

  try {
    await using session = await Session.open({ endpoint, stypes: ['com.example.billing.Invoice.v3'], qomProfile: 'qom-basic' });
    expect(false, `example 2: an incompatible handshake fails (got ${session.capabilities?.commonStypes})`);
  } catch (error) {
    expect(error instanceof NegotiationError, 'example 2: an incompatible handshake raises NegotiationError');
    if (error instanceof NegotiationError) {
      line(`NegotiationError: ${error.reason}`);
      line(`  client STypes: ${error.clientStypes.join(', ')}`);
      line(`  server STypes: ${error.serverStypes.join(', ') || '(the server did not list them)'}`);
    } else {
      line(`unexpected: ${String(error)}`);
    }
  }
}
