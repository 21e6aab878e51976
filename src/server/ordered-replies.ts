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

interface Slot {
  ready: boolean;
  answered?: Answered;
  sent?: () => void;
  /** Resolves once its answer went out (and so every earlier one). */
  out?: Promise<void>;
}

export class OrderedReplies {
  private readonly slots: Slot[] = [];

  constructor(private readonly send: (frame: string | Uint8Array<ArrayBuffer>) => void) {}

  /** Frames read and not yet answered. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Resolves once every frame read so far is answered (at once when none is waiting), however
   * many more come meanwhile: answers go out in order, so once the last one's has.
   */
  settled(): Promise<void> {
    return this.slots.at(-1)?.out ?? Promise.resolve();
  }

  /** Takes the next slot; its answer goes out after every earlier one. Resolves once it went out. */
  add(answer: Promise<Answered>): Promise<void> {
    const slot: Slot = { ready: false };
    this.slots.push(slot);
    const sent = (slot.out = new Promise<void>((resolve) => (slot.sent = resolve)));
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
  }
}
