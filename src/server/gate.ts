/**
 * Admission and turns: at most `running + queued` requests admitted at once (past that,
 * `admit` refuses at once), of which at most `running` hold a turn. An admitted request
 * may do its waiting-for-the-client part (reading its body) before it asks for a turn, so
 * a client that stops sending holds an admission place, never a turn. Turns go first come
 * first served, and pass straight from a finishing task to the next waiting one.
 */
export class Gate {
  #admitted = 0;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(private readonly running: number, private readonly queued: number) {}

  /** Runs `work` admitted, handing it `turn` to run its task in a turn; `refused` when `running + queued` are admitted already. */
  async admit<T>(work: (turn: Turn) => Promise<T>, refused: () => T): Promise<T> {
    if (this.#admitted >= this.running + this.queued) return refused();
    this.#admitted += 1;
    try {
      return await work(this.#turn);
    } finally {
      this.#admitted -= 1;
    }
  }

  readonly #turn: Turn = async (task) => {
    if (this.#active >= this.running) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  };
}

/** Runs `task` in a turn of its gate. */
export type Turn = <T>(task: () => Promise<T>) => Promise<T>;
