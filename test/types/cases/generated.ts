// Type-level cases for STypes added by declaration merging: the file `mpl-sdk types`
// writes for test/types/registry ($ref to another SType, enum, nested objects, arrays,
// optional fields, additionalProperties false / a schema / true, a schema with no type).
// Checked by test/types/types.test.ts with that generated file; never run.
import { Session, type PayloadOf } from 'mpl-sdk';

declare const session: Session;
const shipTo = { street: 'Bahnhofstrasse 1', city: 'Zürich', country: 'CH' } as const;

export async function compiles(): Promise<void> {
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: [{ sku: 'tea', quantity: 1 }], ship_to: shipTo });
  await session.send('test.shop.Order.v1', {
    order_id: 'o-2',
    status: 'paid',
    lines: [{ sku: 'tea', quantity: 2, gift: { wrap: true, note: 'Enjoy' } }, { sku: 'cup', quantity: 1, gift: { wrap: false } }],
    ship_to: { ...shipTo, postcode: '8001' },
    tags: { channel: 'web', campaign: 'spring' },
    extra: { source: 'app', anything: [1, { deep: true }] },
    note: 42,
  });
  await session.send('test.shop.Address.v1', { street: 'Rue de Rivoli 1', city: 'Paris', country: 'FR' });
  session.onMessage('test.shop.Order.v1', (envelope) => {
    const country: 'CH' | 'DE' | 'FR' | 'IT' = envelope.payload.ship_to.country;
    const quantity: number | undefined = envelope.payload.lines[0]?.quantity;
    void country; void quantity;
  });
  // The SDK's own STypes are still typed beside them.
  await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
  const address: PayloadOf<'test.shop.Address.v1'> = shipTo;
  void address;
}

export async function fails(): Promise<void> {
  // @ts-expect-error a misspelt field
  await session.send('test.shop.Order.v1', { order_idd: 'o-1', status: 'open', lines: [], ship_to: shipTo });
  // @ts-expect-error a missing required field (ship_to)
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: [] });
  // @ts-expect-error a wrong enum value
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'cancelled', lines: [], ship_to: shipTo });
  // @ts-expect-error a wrong enum value inside the SType reached through $ref (and its $defs)
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: [], ship_to: { ...shipTo, country: 'XX' } });
  // @ts-expect-error a closed object reached through $ref: no extra property
  await session.send('test.shop.Address.v1', { ...shipTo, planet: 'Earth' });
  // @ts-expect-error a wrong type in an array item
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: [{ sku: 'tea', quantity: '2' }], ship_to: shipTo });
  // @ts-expect-error a missing required field two levels down (gift.wrap)
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: [{ sku: 'tea', quantity: 1, gift: { note: 'hi' } }], ship_to: shipTo });
  // @ts-expect-error additionalProperties as a schema: tag values are strings
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: [], ship_to: shipTo, tags: { priority: 1 } });
  // @ts-expect-error lines is an array
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: { sku: 'tea', quantity: 1 }, ship_to: shipTo });
}
