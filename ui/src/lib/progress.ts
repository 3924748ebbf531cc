// Pure helpers for showing how far a bulk send has got: the sending bar's round line
// (SendingToggle), the compose page's "just queued" counter, and a small throttle.

import type { Entry, State } from "./bindings";
import type { RoundProgress } from "./api";

/** Events come after every batch: re-read at most this often. */
export const THROTTLE_MS = 300;

/** The compose page's fallback poll while the queued messages are not all done. */
export const COMPOSE_POLL_MS = 2000;

/** How long "all sent" stays on the sending bar after a round ends. */
export const DONE_SHOW_MS = 4000;

/** A round in numbers, ready for a `<progress>`: value of max done. */
export interface RoundLine {
  sent: number;
  failed: number;
  waiting: number;
  value: number;
  max: number;
}

const whole = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/**
 * The sending bar's progress line: null while no round is known or nothing is waiting
 * (the round is over). max = sent + failed + retrying + waiting, value = sent + failed.
 */
export function roundLine(round: RoundProgress | null, waiting: number): RoundLine | null {
  const left = whole(waiting);
  if (!round || left === 0) return null;
  const sent = whole(round.sent);
  const failed = whole(round.failed);
  const value = sent + failed;
  return { sent, failed, waiting: left, value, max: value + whole(round.retrying) + left };
}

/** How many of the just-queued messages are done (sent or failed). */
export interface QueuedCount {
  sent: number;
  failed: number;
  done: number;
  total: number;
  finished: boolean;
}

function isDone(state: State): state is "sent" | "failed" {
  return state === "sent" || state === "failed";
}

/** Counts the entries whose id is in `ids` and whose state is sent or failed. */
export function countQueued(
  entries: readonly Pick<Entry, "id" | "state">[],
  ids: ReadonlySet<number>,
): QueuedCount {
  let sent = 0;
  let failed = 0;
  const seen = new Set<number>();
  for (const e of entries) {
    if (!ids.has(e.id) || seen.has(e.id) || !isDone(e.state)) continue;
    seen.add(e.id);
    if (e.state === "sent") sent++;
    else failed++;
  }
  const done = sent + failed;
  return { sent, failed, done, total: ids.size, finished: done >= ids.size };
}

/** How many rows to ask listHistory for so the just-queued ones are in the page. */
export function historyLimit(queued: number): number {
  return whole(queued) + 50;
}

export interface Throttled {
  (): void;
  /** Drops a pending trailing call. */
  cancel(): void;
}

/**
 * `run` at most once every `ms`: the first call runs at once, calls within the window
 * are folded into one trailing run at its end.
 */
export function throttle(run: () => void, ms: number): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = (): void => {
    timer = null;
    last = Date.now();
    run();
  };
  const throttled = (): void => {
    if (timer !== null) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  throttled.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
