/**
 * At most `running` tasks at once, and at most `queued` more waiting for a turn, first come
 * first served; past both, `run` refuses at once. A slot passes straight from a finishing
 * task to the next waiting one.
 */
export class Gate {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(private readonly running: number, private readonly queued: number) {}

  /** Runs `task` in its turn; `refused` when the gate and its queue are both full. */
  async run<T>(task: () => Promise<T>, refused: () => T): Promise<T> {
    if (this.#active >= this.running) {
      if (this.#waiting.length >= this.queued) return refused();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}
