// The outbox as the window sees it: follows messages just queued from the worker's
// OutboxChanged events (one read of their states when following starts, none after),
// so a page shows how far a bulk send has got without polling the history; and the
// sending bar's state (paused or not, how many wait, the round under way).

import { call, commands, onOutboxChanged } from "../api";
import type { DrainReport, ErrorPayload, SendingState, State } from "../bindings";
import {
  countQueued,
  DONE_SHOW_MS,
  mergeStates,
  THROTTLE_MS,
  throttle,
  type QueuedCount,
} from "../progress";

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

/**
 * The sending bar: whether sending is paused and how many messages wait, read when asked
 * and again (throttled) on the worker's events once `listen` is called; the round under
 * way from those events, and the round just finished for a few seconds.
 */
export class SendingBar {
  current = $state<SendingState | null>(null);
  /** Pausing or resuming is on its way. */
  busy = $state(false);
  error = $state<ErrorPayload | null>(null);
  /** The current round's totals, from the latest OutboxChanged that carried them. */
  round = $state<DrainReport | null>(null);
  /** The round just finished, shown for a few seconds once nothing is waiting. */
  finished = $state<DrainReport | null>(null);

  #seq = 0;
  #closed = false;
  /** Counts events, so a state read before the latest one cannot end its round. */
  #events = 0;
  #finishedTimer: ReturnType<typeof setTimeout> | null = null;
  #stop: (() => void) | null = null;
  #reload = throttle(() => void this.load(), THROTTLE_MS);

  /** Reads the state (the latest read or toggle wins). */
  async load(): Promise<void> {
    const mine = ++this.#seq;
    const seen = this.#events;
    const res = await call(() => commands.getSendingState());
    if (mine !== this.#seq || this.#closed) return;
    if (res.status === "ok") this.#apply(res.data, seen);
    else this.error = res.error;
  }

  /** Pauses sending, or resumes it. */
  async toggle(): Promise<void> {
    if (!this.current || this.busy) return;
    this.busy = true;
    const mine = ++this.#seq;
    const seen = this.#events;
    const res = await call(() => commands.setSendingPaused(!this.current?.paused));
    this.busy = false;
    if (mine !== this.#seq || this.#closed) return;
    if (res.status === "ok") this.#apply(res.data, seen);
    else this.error = res.error;
  }

  /** Follows the worker's events: each one's round, and the state read again. */
  listen(): void {
    this.#stop = onOutboxChanged((change) => {
      this.#events++;
      if (change.round) {
        this.round = change.round;
        this.#clearFinished();
      }
      this.#reload();
    });
  }

  /** The bar is gone: stops listening, and answers still on their way change nothing. */
  close(): void {
    this.#closed = true;
    this.#stop?.();
    this.#reload.cancel();
    this.#clearFinished();
    this.#seq++;
  }

  /** `seen`: how many events had come when the state was asked for. */
  #apply(state: SendingState, seen: number): void {
    this.current = state;
    this.error = null;
    if (state.waiting > 0 || !this.round || seen !== this.#events) return;
    // Nothing left: the round is over.
    this.#clearFinished();
    this.finished = this.round;
    this.round = null;
    this.#finishedTimer = setTimeout(() => {
      this.#finishedTimer = null;
      this.finished = null;
    }, DONE_SHOW_MS);
  }

  #clearFinished(): void {
    if (this.#finishedTimer !== null) clearTimeout(this.#finishedTimer);
    this.#finishedTimer = null;
    this.finished = null;
  }
}
