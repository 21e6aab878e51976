/**
 * Frames are answered concurrently, their answers sent in arrival order (an in-order,
 * id-less reply stream depends on it). Each slot resolves with the frames to send, what
 * changes as they go (a handshake's STypes: what may be pushed), and what to run once they
 * are out (a handshake's pushes).
 */
export interface Answered {
  frames: Array<string | Uint8Array<ArrayBuffer>>;
  before?: () => void;
  after?: () => void;
}

export class OrderedReplies {
  private readonly slots: Array<{ ready: boolean; answered?: Answered; sent?: () => void }> = [];
  /** Who waits for every frame read so far to be answered (see `empty`). */
  private readonly emptied: Array<() => void> = [];

  constructor(private readonly send: (frame: string | Uint8Array<ArrayBuffer>) => void) {}

  /** Frames read and not yet answered. */
  get size(): number {
    return this.slots.length;
  }

  /** Resolves once no frame read so far is waiting for its answer (at once when none is). */
  empty(): Promise<void> {
    return this.slots.length === 0 ? Promise.resolve() : new Promise((resolve) => this.emptied.push(resolve));
  }

  /** Takes the next slot; its answer goes out after every earlier one. Resolves once it went out. */
  add(answer: Promise<Answered>): Promise<void> {
    const slot: { ready: boolean; answered?: Answered; sent?: () => void } = { ready: false };
    this.slots.push(slot);
    const sent = new Promise<void>((resolve) => (slot.sent = resolve));
    void answer.then((answered) => {
      slot.ready = true;
      slot.answered = answered;
      this.flush();
    });
    return sent;
  }

  private flush(): void {
    while (this.slots[0]?.ready) {
      const { answered, sent } = this.slots.shift()!;
      try {
        answered!.before?.();
        for (const frame of answered!.frames) this.send(frame);
        answered!.after?.();
      } finally {
        sent!();
      }
    }
    if (this.slots.length === 0) for (const resolve of this.emptied.splice(0)) resolve();
  }
}
