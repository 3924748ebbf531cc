import { afterEach, describe, expect, it } from "vitest";
import type { Entry } from "./bindings";
import {
  earliestSendAt,
  formatSendAt,
  isScheduled,
  latestSendAt,
  parseLocalTime,
  scheduleIssue,
  sendAtMax,
  sendAtMin,
  toLocalInput,
  toRfc3339,
} from "./schedule";

/** The process's environment (the UI's types leave Node's out, hence the cast). */
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
const ORIGINAL_TZ = env.TZ;

/** Runs with the computer's time zone set to `zone` (Node reads TZ again when it is set). */
function inZone<T>(zone: string, run: () => T): T {
  env.TZ = zone;
  return run();
}

afterEach(() => {
  if (ORIGINAL_TZ === undefined) delete env.TZ;
  else env.TZ = ORIGINAL_TZ;
});

/** 1 June 2026, 14:30:20 local: the "now" the checks are made against. */
const NOW = new Date(2026, 5, 1, 14, 30, 20);

describe("the datetime-local value", () => {
  it("is read as a local time, an impossible day refused", () => {
    expect(parseLocalTime("2026-06-01T14:30")?.getTime()).toBe(new Date(2026, 5, 1, 14, 30).getTime());
    expect(parseLocalTime(" 2026-06-01T14:30:15 ")?.getTime()).toBe(new Date(2026, 5, 1, 14, 30, 15).getTime());
    expect(parseLocalTime("2028-02-29T09:00")?.getDate()).toBe(29);
    for (const bad of ["", "abc", "2026-02-31T10:00", "2027-02-29T10:00", "2026-13-01T10:00", "2026-06-01T24:00", "2026-06-01"]) {
      expect(parseLocalTime(bad)).toBeNull();
    }
  });

  it("is written back from a moment, to the minute", () => {
    expect(toLocalInput(new Date(2026, 0, 5, 7, 5, 59))).toBe("2026-01-05T07:05");
  });

  it("becomes RFC 3339 with the local offset", () => {
    expect(inZone("Europe/Istanbul", () => toRfc3339("2026-06-01T14:30"))).toBe("2026-06-01T14:30:00+03:00");
    // Half an hour behind, in summer time: the sign and the minutes both count.
    expect(inZone("America/St_Johns", () => toRfc3339("2026-06-01T14:30"))).toBe("2026-06-01T14:30:00-02:30");
    expect(inZone("UTC", () => toRfc3339("2026-12-31T23:59"))).toBe("2026-12-31T23:59:00Z");
    // Whatever the zone, the same moment as the value names.
    const sent = toRfc3339("2026-06-01T14:30");
    expect(new Date(sent ?? "").getTime()).toBe(new Date(2026, 5, 1, 14, 30).getTime());
    expect(toRfc3339("")).toBeNull();
    expect(toRfc3339("2026-02-30T10:00")).toBeNull();
  });
});

describe("the bounds", () => {
  it("min is now rounded up to the next minute", () => {
    expect(sendAtMin(NOW)).toBe("2026-06-01T14:31");
    expect(sendAtMin(new Date(2026, 5, 1, 14, 30, 0, 0))).toBe("2026-06-01T14:30");
    expect(sendAtMin(new Date(2026, 11, 31, 23, 59, 1))).toBe("2027-01-01T00:00");
    expect(earliestSendAt(NOW.getTime()).getTime()).toBe(new Date(2026, 5, 1, 14, 31).getTime());
  });

  it("max is the same time a year from now", () => {
    expect(sendAtMax(NOW)).toBe("2027-06-01T14:30");
    expect(latestSendAt(NOW).getTime()).toBe(new Date(2027, 5, 1, 14, 30, 20).getTime());
    // 29 February: a year on is 1 March.
    expect(sendAtMax(new Date(2028, 1, 29, 9, 0))).toBe("2029-03-01T09:00");
  });
});

describe("the check as the time is typed", () => {
  it("wants a time while the box is ticked", () => {
    expect(scheduleIssue("", NOW)).toBe("required");
    // Filled in halfway: the browser reports "".
    expect(scheduleIssue("2026-02-31T10:00", NOW)).toBe("required");
  });

  it("refuses a time already past", () => {
    expect(scheduleIssue("2026-06-01T14:30", NOW)).toBe("past");
    expect(scheduleIssue("2025-06-01T14:30", NOW)).toBe("past");
    expect(scheduleIssue("2026-06-01T14:31", NOW)).toBeNull();
    // Exactly on the minute, that minute may still be chosen (it is the input's min).
    expect(scheduleIssue("2026-06-01T14:30", new Date(2026, 5, 1, 14, 30))).toBeNull();
  });

  it("refuses more than a year ahead", () => {
    expect(scheduleIssue("2027-06-01T14:30", NOW)).toBeNull();
    expect(scheduleIssue("2027-06-01T14:31", NOW)).toBe("tooFar");
    expect(scheduleIssue("2030-01-01T00:00", NOW)).toBe("tooFar");
  });

  it("takes now as a number too, and moves with it", () => {
    expect(scheduleIssue("2026-06-01T14:31", NOW.getTime())).toBeNull();
    expect(scheduleIssue("2026-06-01T14:31", new Date(2026, 5, 1, 14, 32))).toBe("past");
  });
});

describe("the time as shown", () => {
  const AT = "2026-06-01T11:05:00Z";

  it("is day.month.year hour:minute in Turkish", () => {
    expect(formatSendAt(AT, "tr", "Europe/Istanbul")).toBe("01.06.2026 14:05");
    expect(formatSendAt("2026-06-01T14:30:00+03:00", "tr", "Europe/Istanbul")).toBe("01.06.2026 14:30");
    // Midnight is 00, not 24.
    expect(formatSendAt("2026-12-30T21:00:00Z", "tr", "Europe/Istanbul")).toBe("31.12.2026 00:00");
  });

  it("follows the British order in English", () => {
    expect(formatSendAt(AT, "en", "Europe/Istanbul")).toBe("01/06/2026, 14:05");
  });

  it("is empty for no time or a broken one", () => {
    expect(formatSendAt(null, "tr")).toBe("");
    expect(formatSendAt("", "tr")).toBe("");
    expect(formatSendAt("not a date", "en")).toBe("");
  });
});

describe("a scheduled message in the history", () => {
  const entry = (over: Partial<Pick<Entry, "state" | "scheduledAt">>): Pick<Entry, "state" | "scheduledAt"> => ({
    state: "queued",
    scheduledAt: "2026-06-02T09:00:00Z",
    ...over,
  });
  const now = new Date("2026-06-01T12:00:00Z");

  it("is one still queued for a time ahead", () => {
    expect(isScheduled(entry({}), now)).toBe(true);
    expect(isScheduled(entry({}), now.getTime())).toBe(true);
  });

  it("is not once its time came, once it left the queue, or without a time", () => {
    expect(isScheduled(entry({}), new Date("2026-06-02T09:00:00Z"))).toBe(false);
    expect(isScheduled(entry({ state: "sending" }), now)).toBe(false);
    expect(isScheduled(entry({ state: "sent" }), now)).toBe(false);
    expect(isScheduled(entry({ state: "failed" }), now)).toBe(false);
    expect(isScheduled(entry({ scheduledAt: null }), now)).toBe(false);
    expect(isScheduled(entry({ scheduledAt: "soon" }), now)).toBe(false);
  });
});
