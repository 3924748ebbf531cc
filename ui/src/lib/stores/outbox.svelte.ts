// The outbox as the window sees it: follows messages just queued from the worker's
// OutboxChanged events (one read of their states when following starts, none after),
// so a page shows how far a bulk send has got without polling the history.

import { call, commands, onOutboxChanged } from "../api";
import type { State } from "../bindings";
import { countQueued, mergeStates, type QueuedCount } from "../progress";

/** One bulk send being followed; `progress` is reactive. */
export class Followed {
  progress = $state<QueuedCount>({ sent: 0, failed: 0, done: 0, total: 0, finished: true });
  #ids: ReadonlySet<number>;
  // Plain collections on purpose: `progress` is the reactive view of them.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #known = new Map<number, State>();
  #stop: (() => void) | null = null;

  constructor(ids: readonly number[]) {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.#ids = new Set(ids);
    this.#count();
    if (this.progress.finished) return;
    // Listening first, then one read: an event the read races is not lost, and an
    // older read never takes a message back (mergeStates keeps the later state).
    this.#stop = onOutboxChanged((change) => {
      if (mergeStates(this.#known, change.messages, this.#ids)) this.#count();
    });
    void this.#readOnce();
  }

  async #readOnce(): Promise<void> {
    const res = await call(() => commands.messageStates([...this.#ids]));
    if (res.status === "ok" && mergeStates(this.#known, res.data, this.#ids)) this.#count();
  }

  #count(): void {
    this.progress = countQueued(this.#known, this.#ids);
    if (this.progress.finished) this.stop();
  }

  /** Stops following (the page left, or a new send replaced this one). */
  stop(): void {
    this.#stop?.();
    this.#stop = null;
  }
}
