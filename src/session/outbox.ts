import { ConnectionError } from '../errors/connection-error.ts';

/**
 * Requests waiting for a (re)connection and its handshake, in order. Bounded: a full
 * outbox refuses new requests rather than growing while the server is away.
 */
export class Outbox<T> {
  readonly #items = new Set<T>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.size;
  }

  /** Queues an item; throws `ConnectionError` when the outbox is full. */
  push(item: T, endpoint?: string): void {
    if (this.#items.size >= this.#capacity) {
      throw new ConnectionError(`Not connected, and ${this.#capacity} requests are already waiting for the connection (maxQueued)`, endpoint === undefined ? {} : { endpoint });
    }
    this.#items.add(item);
  }

  /** Removes an item (it timed out or was cancelled); true if it was queued. */
  delete(item: T): boolean {
    return this.#items.delete(item);
  }

  /** Takes every item, oldest first. */
  drain(): T[] {
    const items = [...this.#items];
    this.#items.clear();
    return items;
  }
}
