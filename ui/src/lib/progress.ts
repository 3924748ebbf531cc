// Pure helpers for showing how far a bulk send has got: the sending bar's round line
// (SendingToggle), the compose page's "just queued" counter, and a small throttle.

import type { DrainReport, Language, MessageState, State } from "./bindings";
import { translate } from "./i18n";

/** Events come after every batch: re-read at most this often. */
export const THROTTLE_MS = 300;

/** How long "all sent" stays on the sending bar after a round ends. */
export const DONE_SHOW_MS = 4000;

/** A round in numbers, ready for a `<progress>`: value of max done. */
export interface RoundLine {
  sent: number;
  failed: number;
  /** Not sent: a recipient is on the suppression list (not counted in `failed`). */
  skipped: number;
  waiting: number;
  value: number;
  max: number;
}

const whole = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/**
 * The sending bar's progress line: null while no round is known or nothing is waiting
 * (the round is over). value = sent + failed + skipped (each is done with),
 * max = value + retrying + waiting.
 */
export function roundLine(round: DrainReport | null, waiting: number): RoundLine | null {
  const left = whole(waiting);
  if (!round || left === 0) return null;
  const sent = whole(round.sent);
  const failed = whole(round.failed);
  const skipped = whole(round.skipped);
  const value = sent + failed + skipped;
  return { sent, failed, skipped, waiting: left, value, max: value + whole(round.retrying) + left };
}

/** The round's messages not sent because a recipient is on the suppression list. */
export function skippedOf(round: Pick<DrainReport, "skipped"> | null): number {
  return round ? whole(round.skipped) : 0;
}

/**
 * The round summary's addition for those: "3 atlandı (engelleme listesi)"; null when the
 * round skipped none.
 */
export function skippedText(skipped: number, lang: Language): string | null {
  const n = whole(skipped);
  return n > 0 ? translate(lang, "history.sending.skipped", { n }) : null;
}

/** A finished round went out whole: nothing failed and nothing was skipped. */
export function allSent(round: Pick<DrainReport, "failed" | "skipped">): boolean {
  return whole(round.failed) === 0 && whole(round.skipped) === 0;
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

/** Counts the followed messages (`ids`) whose known state is sent or failed. */
export function countQueued(states: ReadonlyMap<number, State>, ids: ReadonlySet<number>): QueuedCount {
  let sent = 0;
  let failed = 0;
  for (const id of ids) {
    const state = states.get(id);
    if (state === undefined || !isDone(state)) continue;
    if (state === "sent") sent++;
    else failed++;
  }
  const done = sent + failed;
  return { sent, failed, done, total: ids.size, finished: done >= ids.size };
}

// How far along a state is: an older report (a state read racing an event) never
// takes a message back.
const RANK: Record<State, number> = { queued: 0, sending: 1, retry: 2, sent: 3, failed: 3 };

/**
 * Merges reported states into what is known, for the followed ids only; a state
 * further along wins. Returns whether anything changed.
 */
export function mergeStates(
  known: Map<number, State>,
  reported: readonly MessageState[],
  ids: ReadonlySet<number>,
): boolean {
  let changed = false;
  for (const { id, state } of reported) {
    if (!ids.has(id)) continue;
    const before = known.get(id);
    if (before !== undefined && (RANK[before] > RANK[state] || before === state)) continue;
    known.set(id, state);
    changed = true;
  }
  return changed;
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
