// Type-level cases for STypes added by declaration merging: the file `mpl-sdk types`
// writes for test/types/registry ($ref to another SType, enum, nested objects, arrays,
// optional fields, additionalProperties false / a schema / true, a schema with no type;
// and Shipment's 2020-12 shapes: prefixItems tuples, required outside properties, keywords
// beside $ref, an anchor in a nested resource, a registry's own tsType ignored).
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
  const shipment = { tracking: 'JD01', carrier: 'post', box: [30, 20], 'x-ref': 'o-2' } satisfies PayloadOf<'test.shop.Shipment.v1'>;
  await session.send('test.shop.Shipment.v1', shipment);
  await session.send('test.shop.Shipment.v1', {
    ...shipment, box: [30, 20, 10], route: ['ZRH', 120.5, 80], sender: { name: 'Ada', email: 'ada@example.com', vip: true },
    contact: 'desk@example.com', label: 'fragile', anything: [1, { else: true }],
  });
  await session.send('test.shop.Shipment.v1', { ...shipment, route: [] }); // prefixItems alone require nothing
  await session.send('test.shop.Shipment.v1', { ...shipment, route: ['ZRH'] });
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
  const shipment = { tracking: 'JD01', carrier: 'post', box: [30, 20], 'x-ref': 'o-2' } satisfies PayloadOf<'test.shop.Shipment.v1'>;
  // @ts-expect-error required by an allOf member alone (carrier)
  await session.send('test.shop.Shipment.v1', { tracking: 'JD01', box: [30, 20], 'x-ref': 'o-2' });
  // @ts-expect-error required with no properties entry, typed by the pattern it matches (x-ref)
  await session.send('test.shop.Shipment.v1', { tracking: 'JD01', carrier: 'post', box: [30, 20] });
  // @ts-expect-error … and of that pattern's type
  await session.send('test.shop.Shipment.v1', { ...shipment, 'x-ref': 2 });
  // @ts-expect-error a tuple shorter than minItems
  await session.send('test.shop.Shipment.v1', { ...shipment, box: [30] });
  // @ts-expect-error a tuple longer than its prefix when items is false
  await session.send('test.shop.Shipment.v1', { ...shipment, box: [30, 20, 10, 5] });
  // @ts-expect-error a prefix element of the wrong type
  await session.send('test.shop.Shipment.v1', { ...shipment, route: [120.5] });
  // @ts-expect-error the elements after the prefix: items
  await session.send('test.shop.Shipment.v1', { ...shipment, route: ['ZRH', 'BSL'] });
  // @ts-expect-error required beside a $ref (sender.email)
  await session.send('test.shop.Shipment.v1', { ...shipment, sender: { name: 'Ada' } });
  // @ts-expect-error properties beside a $ref (sender.vip)
  await session.send('test.shop.Shipment.v1', { ...shipment, sender: { email: 'ada@example.com', vip: 'yes' } });
  // @ts-expect-error a $ref to an anchor in a nested resource, from the root (the validator reads it so)
  await session.send('test.shop.Shipment.v1', { ...shipment, contact: 42 });
  // @ts-expect-error the schema's own tsType ("any") is not taken: a string
  await session.send('test.shop.Shipment.v1', { ...shipment, label: 42 });
  // @ts-expect-error lines is an array
  await session.send('test.shop.Order.v1', { order_id: 'o-1', status: 'open', lines: { sku: 'tea', quantity: 1 }, ship_to: shipTo });
}
