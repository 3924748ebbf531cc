// Pure helpers for a scheduled send ("Zamanlanmış gönderim"): the datetime-local input's
// value as the RFC 3339 time ComposeInput.sendAt takes, the input's bounds, the checks
// made while typing (against an injected "now"), and the time as the window shows it.

import type { Entry, Language } from "./bindings";

/** What is wrong with the chosen time: none chosen, already past, more than a year ahead. */
export type ScheduleIssue = "required" | "past" | "tooFar";

const LOCALES: Record<Language, string> = { tr: "tr-TR", en: "en-GB" };

/** A datetime-local input's value: `YYYY-MM-DDTHH:MM`, seconds optional. */
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const MINUTE = 60_000;

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, "0");

const asDate = (now: Date | number): Date => (typeof now === "number" ? new Date(now) : now);

/** The local moment a datetime-local value names; null when it is not one (31 February). */
export function parseLocalTime(value: string): Date | null {
  const m = LOCAL_TIME.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => Number(p ?? "0")) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(year, month - 1, day, hour, minute, second);
  // The Date constructor rolls 31 February over into March: such a day does not exist.
  if (date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date;
}

/** A moment as a datetime-local value, `YYYY-MM-DDTHH:MM`, in local time. */
export function toLocalInput(date: Date): string {
  const day = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The earliest moment that may be chosen: now rounded up to the next whole minute. */
export function earliestSendAt(now: Date | number): Date {
  return new Date(Math.ceil(asDate(now).getTime() / MINUTE) * MINUTE);
}

/** The latest moment that may be chosen: the same time a year from now. */
export function latestSendAt(now: Date | number): Date {
  const limit = new Date(asDate(now).getTime());
  limit.setFullYear(limit.getFullYear() + 1);
  return limit;
}

/** The input's `min`: now rounded up to the next minute. */
export function sendAtMin(now: Date | number): string {
  return toLocalInput(earliestSendAt(now));
}

/** The input's `max`: a year from now (its minute: the input has no seconds). */
export function sendAtMax(now: Date | number): string {
  return toLocalInput(latestSendAt(now));
}

/**
 * What is wrong with the time chosen while "Daha sonra gönder" is ticked: nothing chosen
 * (or an input filled in halfway: the browser then reports ""), a time already past, or
 * one more than a year after `now`; null when it may be sent.
 */
export function scheduleIssue(value: string, now: Date | number): ScheduleIssue | null {
  const at = parseLocalTime(value);
  if (!at) return "required";
  const t = at.getTime();
  if (t < asDate(now).getTime()) return "past";
  if (t > latestSendAt(now).getTime()) return "tooFar";
  return null;
}

/**
 * A datetime-local value as RFC 3339 with the local offset, e.g.
 * `2026-06-01T14:30:00+03:00`; null when it is not a time.
 */
export function toRfc3339(value: string): string | null {
  const at = parseLocalTime(value);
  if (!at) return null;
  const offset = -at.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = offset === 0 ? "Z" : `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${toLocalInput(at)}:${pad(at.getSeconds())}${zone}`;
}

/**
 * An RFC 3339 time as the window shows a scheduled send: its day and minute in the
 * interface's language ("01.06.2026 14:30", "01/06/2026, 14:30"); "" when it is not a
 * time. `timeZone` for tests; the computer's own zone otherwise.
 */
export function formatSendAt(iso: string | null | undefined, lang: Language, timeZone?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(d);
}

/** A message waiting in the queue for the time it was scheduled for (still ahead of `now`). */
export function isScheduled(entry: Pick<Entry, "state" | "scheduledAt">, now: Date | number): boolean {
  if (entry.state !== "queued" || !entry.scheduledAt) return false;
  const at = new Date(entry.scheduledAt).getTime();
  return !Number.isNaN(at) && at > asDate(now).getTime();
}
