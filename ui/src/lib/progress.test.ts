import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RoundProgress } from "./api";
import { countQueued, historyLimit, roundLine, throttle } from "./progress";

const round = (over: Partial<RoundProgress> = {}): RoundProgress => ({
  sent: 0,
  failed: 0,
  retrying: 0,
  paused: false,
  lastSent: null,
  failures: [],
  ...over,
});

describe("roundLine", () => {
  it("adds up the round: value = sent + failed, max adds retrying and waiting", () => {
    expect(roundLine(round({ sent: 7, failed: 2, retrying: 1 }), 40)).toEqual({
      sent: 7,
      failed: 2,
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
      waiting: 3,
      value: 0,
      max: 3,
    });
  });
});

describe("countQueued", () => {
  const ids = new Set([1, 2, 3, 4]);

  it("counts only the queued ids that are sent or failed", () => {
    const entries = [
      { id: 1, state: "sent" as const },
      { id: 2, state: "failed" as const },
      { id: 3, state: "retry" as const },
      { id: 9, state: "sent" as const },
    ];
    expect(countQueued(entries, ids)).toEqual({ sent: 1, failed: 1, done: 2, total: 4, finished: false });
  });

  it("is finished when every queued id is done, duplicates counted once", () => {
    const entries = [
      { id: 1, state: "sent" as const },
      { id: 1, state: "sent" as const },
      { id: 2, state: "sent" as const },
      { id: 3, state: "failed" as const },
      { id: 4, state: "sent" as const },
    ];
    expect(countQueued(entries, ids)).toEqual({ sent: 3, failed: 1, done: 4, total: 4, finished: true });
  });

  it("is not finished while rows are missing or pending", () => {
    expect(countQueued([], ids).finished).toBe(false);
    expect(countQueued([{ id: 1, state: "queued" }], new Set([1])).finished).toBe(false);
    expect(countQueued([{ id: 1, state: "sending" }], new Set([1])).done).toBe(0);
  });
});

describe("historyLimit", () => {
  it("asks for the queued count plus some slack", () => {
    expect(historyLimit(20)).toBe(70);
    expect(historyLimit(0)).toBe(50);
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
