import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DrainReport, State } from "./bindings";
import { allSent, countQueued, mergeStates, roundLine, skippedOf, skippedText, throttle } from "./progress";

const round = (over: Partial<DrainReport> = {}): DrainReport => ({
  sent: 0,
  failed: 0,
  retrying: 0,
  skipped: 0,
  paused: false,
  lastSent: null,
  channels: [],
  failures: [],
  webhooksFailing: [],
  stuck: [],
  stuckMinutes: 0,
  reconnect: [],
  stopped: [],
  campaignsFinished: [],
  limitsReached: [],
  integrationsFailing: [],
  ...over,
});

describe("roundLine", () => {
  it("adds up the round: value = sent + failed, max adds retrying and waiting", () => {
    expect(roundLine(round({ sent: 7, failed: 2, retrying: 1 }), 40)).toEqual({
      sent: 7,
      failed: 2,
      skipped: 0,
      waiting: 40,
      value: 9,
      max: 50,
    });
  });

  it("is null without a round or when nothing is waiting", () => {
    expect(roundLine(null, 5)).toBeNull();
    expect(roundLine(round({ sent: 3 }), 0)).toBeNull();
  });

  it("treats odd numbers as zero", () => {
    expect(roundLine(round({ sent: Number.NaN, failed: -2 }), 3)).toEqual({
      sent: 0,
      failed: 0,
      skipped: 0,
      waiting: 3,
      value: 0,
      max: 3,
    });
  });
});

describe("skipped recipients (the suppression list)", () => {
  it("counts them as done, apart from the failed", () => {
    expect(roundLine(round({ sent: 5, failed: 1, skipped: 2, retrying: 1 }), 10)).toEqual({
      sent: 5,
      failed: 1,
      skipped: 2,
      waiting: 10,
      value: 8,
      max: 19,
    });
    expect(skippedOf(round({ skipped: 3 }))).toBe(3);
    expect(skippedOf(null)).toBe(0);
    // An older payload without the field counts none.
    expect(skippedOf({} as DrainReport)).toBe(0);
  });

  it("adds “n atlandı (engelleme listesi)” to the summary only when some were skipped", () => {
    expect(skippedText(3, "tr")).toBe("3 atlandı (engelleme listesi)");
    expect(skippedText(1, "en")).toBe("1 skipped (suppression list)");
    expect(skippedText(0, "tr")).toBeNull();
    expect(skippedText(Number.NaN, "en")).toBeNull();
  });

  it("a round with skipped messages is not “all sent”", () => {
    expect(allSent(round({ sent: 4 }))).toBe(true);
    expect(allSent(round({ sent: 4, skipped: 1 }))).toBe(false);
    expect(allSent(round({ sent: 4, failed: 1 }))).toBe(false);
  });
});

describe("countQueued", () => {
  const ids = new Set([1, 2, 3, 4]);

  it("counts only the followed ids that are sent or failed", () => {
    const known = new Map<number, State>([
      [1, "sent"],
      [2, "failed"],
      [3, "retry"],
      [9, "sent"],
    ]);
    expect(countQueued(known, ids)).toEqual({ sent: 1, failed: 1, done: 2, total: 4, finished: false });
  });

  it("is not finished while states are unknown or pending", () => {
    expect(countQueued(new Map(), ids).finished).toBe(false);
    expect(countQueued(new Map([[1, "queued"]]), new Set([1])).finished).toBe(false);
    expect(countQueued(new Map([[1, "sending"]]), new Set([1])).done).toBe(0);
  });
});

describe("mergeStates", () => {
  it("takes the followed ids' states and never moves one back", () => {
    const known = new Map<number, State>();
    const ids = new Set([1, 2]);
    expect(
      mergeStates(
        known,
        [
          { id: 1, state: "sent" },
          { id: 7, state: "sent" },
        ],
        ids,
      ),
    ).toBe(true);
    expect([...known]).toEqual([[1, "sent"]]);
    // A read that raced the event says "queued": the later state stays.
    expect(mergeStates(known, [{ id: 1, state: "queued" }], ids)).toBe(false);
    expect(known.get(1)).toBe("sent");
    expect(mergeStates(known, [{ id: 2, state: "retry" }], ids)).toBe(true);
    expect(mergeStates(known, [{ id: 2, state: "failed" }], ids)).toBe(true);
    expect(countQueued(known, ids)).toEqual({ sent: 1, failed: 1, done: 2, total: 2, finished: true });
  });
});

describe("throttle", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at once, then folds calls in the window into one trailing run", () => {
    const run = vi.fn();
    const f = throttle(run, 300);
    f();
    expect(run).toHaveBeenCalledTimes(1);
    f();
    f();
    f();
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(299);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(2);
    f();
    expect(run).toHaveBeenCalledTimes(3);
  });

  it("never runs more often than the window", () => {
    const run = vi.fn();
    const f = throttle(run, 300);
    for (let i = 0; i < 100; i++) {
      f();
      vi.advanceTimersByTime(30);
    }
    // 3000 ms of calls: the leading run and at most one per 300 ms after it.
    expect(run.mock.calls.length).toBeLessThanOrEqual(11);
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(10);
  });

  it("cancel drops the trailing run", () => {
    const run = vi.fn();
    const f = throttle(run, 300);
    f();
    f();
    f.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
