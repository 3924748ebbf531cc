// Pure helpers for Engelleme Listesi (the workspace's suppression list): the add form's
// checks while typing, the reasons' words, the legal deadlines as the table shows them,
// the search box's matching, the import report's lines and the export's file name.

import type {
  Language,
  Suppression,
  SuppressionKind,
  SuppressionReason,
  SuppressionRejected,
} from "./bindings";
import { describeError, translate, type ErrorText, type MessageKey, type Params } from "./i18n";
import { charCount, hasControlChars, isPlausibleEmail, LIMITS } from "./validation";

/** The reasons, in the select's order (the default first). */
export const REASONS: readonly SuppressionReason[] = ["unsubscribed", "iys", "bounce", "manual"];

export const DEFAULT_REASON: SuppressionReason = "unsubscribed";

/** A note is at most this many characters (the backend's limit). */
export const NOTE_MAX = 500;

/** A phone number has at least this many digits (with its area code)… */
export const PHONE_DIGITS_MIN = 10;
/** …and at most this many, leading zeros aside (E.164's limit). */
export const PHONE_DIGITS_MAX = 15;

/** Only these may make up a phone number as typed. */
const PHONE_CHARS = /^[0-9 +()-]+$/;

export function isReason(value: string): value is SuppressionReason {
  return (REASONS as readonly string[]).includes(value);
}

export function reasonKey(reason: SuppressionReason): MessageKey {
  return `suppression.reason.${reason}`;
}

/** "Abonelikten çıktı", "Refused via İYS / RET"…; an unknown reason as it is. */
export function reasonLabel(reason: string, lang: Language): string {
  return isReason(reason) ? translate(lang, reasonKey(reason)) : reason;
}

export function kindLabel(kind: SuppressionKind, lang: Language): string {
  return translate(lang, `suppression.kind.${kind}`);
}

// ---- the add form ----

/** What is wrong with a value, a note or a date as typed. */
export type IssueKind =
  | "required"
  | "control"
  | "tooLong"
  | "letters"
  | "emailSpace"
  | "emailManyAt"
  | "emailNoLocal"
  | "emailNoDomain"
  | "emailNoDot"
  | "emailShape"
  | "phoneChars"
  | "phonePlus"
  | "phoneShort"
  | "phoneLong"
  | "dateBad"
  | "dateFuture";

export interface Issue {
  kind: IssueKind;
  params?: Params;
}

/** How a value will be listed: with an "@" an e-mail address, else a phone number. */
export function valueKind(raw: string): SuppressionKind | null {
  const v = raw.trim();
  if (v === "") return null;
  return v.includes("@") ? "email" : "phone";
}

/** The digits of a number, its leading zeros (trunk or international prefix) aside. */
function significantDigits(value: string): number {
  return value.replace(/\D/g, "").replace(/^0+/, "").length;
}

function checkEmail(v: string): Issue | null {
  if (charCount(v) > LIMITS.contactEmail) return { kind: "tooLong", params: { max: LIMITS.contactEmail } };
  if (/\s/u.test(v)) return { kind: "emailSpace" };
  const at = v.indexOf("@");
  if (v.indexOf("@", at + 1) >= 0) return { kind: "emailManyAt" };
  if (at === 0) return { kind: "emailNoLocal" };
  const domain = v.slice(at + 1);
  if (domain === "") return { kind: "emailNoDomain" };
  const labels = domain.split(".");
  if (labels.length < 2 || (labels[labels.length - 1] ?? "") === "") return { kind: "emailNoDot" };
  return isPlausibleEmail(v) ? null : { kind: "emailShape" };
}

function checkPhone(v: string): Issue | null {
  if (charCount(v) > LIMITS.phone) return { kind: "tooLong", params: { max: LIMITS.phone } };
  if (/\p{L}/u.test(v)) return { kind: "letters" };
  if (!PHONE_CHARS.test(v)) return { kind: "phoneChars" };
  if (v.lastIndexOf("+") > 0) return { kind: "phonePlus" };
  const count = v.replace(/\D/g, "").length;
  if (count < PHONE_DIGITS_MIN) return { kind: "phoneShort", params: { count, min: PHONE_DIGITS_MIN } };
  if (significantDigits(v) > PHONE_DIGITS_MAX) {
    return { kind: "phoneLong", params: { count, max: PHONE_DIGITS_MAX } };
  }
  return null;
}

/**
 * The value as typed: with an "@" it must look like an e-mail address (Turkish letters
 * allowed, e.g. `çağla@örnek.com.tr`), else like a phone number (digits, spaces, "+",
 * parentheses and dashes; at least PHONE_DIGITS_MIN digits). The backend is the final
 * judge (it parses the number properly); null when it looks fine.
 */
export function checkValue(raw: string): Issue | null {
  if (hasControlChars(raw)) return { kind: "control" };
  const v = raw.trim();
  if (v === "") return { kind: "required" };
  return v.includes("@") ? checkEmail(v) : checkPhone(v);
}

/** The optional note: one line, at most NOTE_MAX characters. */
export function checkNote(raw: string): Issue | null {
  if (hasControlChars(raw)) return { kind: "control" };
  const max = NOTE_MAX;
  return charCount(raw.trim()) > max ? { kind: "tooLong", params: { max } } : null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` that is a real day. */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * The optional day of the refusal (a date input's value, `today` as `YYYY-MM-DD`):
 * empty is fine (today), a day after today is not. `badInput`: the browser's
 * `validity.badInput` (it then reports "" for a half-typed date).
 */
export function checkRequestedAt(day: string, today: string, badInput = false): Issue | null {
  if (badInput) return { kind: "dateBad" };
  const v = day.trim();
  if (v === "") return null;
  if (!isDay(v)) return { kind: "dateBad" };
  return v > today ? { kind: "dateFuture" } : null;
}

/** The day as the backend takes it ("YYYY-MM-DD"), null when none was chosen. */
export function requestedAtToSend(day: string): string | null {
  const v = day.trim();
  return v === "" ? null : v;
}

/** An issue in words: what is wrong, and how to fix it. */
export function issueText(issue: Issue, lang: Language): ErrorText {
  const base = `suppression.issue.${issue.kind}` as const;
  return {
    message: translate(lang, `${base}.message`, issue.params),
    hint: translate(lang, `${base}.hint`, issue.params),
  };
}

// ---- dates and deadlines ----

const LOCALES: Record<Language, string> = { tr: "tr-TR", en: "en-GB" };

const pad = (n: number): string => String(n).padStart(2, "0");

/** A date's local day as `YYYY-MM-DD` (the date input's `max`, the export's file name). */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An RFC 3339 time as a local date in the language ("7 Ara 2026", "7 Dec 2026"). */
export function formatDate(iso: string | null | undefined, lang: Language): string {
  const d = parse(iso);
  if (!d) return "";
  return new Intl.DateTimeFormat(LOCALES[lang], { day: "numeric", month: "short", year: "numeric" }).format(d);
}

/** An RFC 3339 time as a local date and time in the language ("7 Ara 2026 14:30"). */
export function formatDateTime(iso: string | null | undefined, lang: Language): string {
  const d = parse(iso);
  if (!d) return "";
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(d);
}

/** A `YYYY-MM-DD` day in the language ("10 Ara 2026"); anything else as it is. */
export function formatDay(day: string, lang: Language): string {
  if (!isDay(day)) return day;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The day (`YYYY-MM-DD`) a time falls on in Istanbul, whose calendar the law counts by. */
export function istanbulDay(iso: string): string | null {
  const d = parse(iso);
  if (!d) return null;
  try {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/Istanbul",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(d);
    const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
    const day = `${part("year")}-${part("month")}-${part("day")}`;
    if (isDay(day)) return day;
  } catch {
    // No time zone data: Türkiye has kept UTC+3 all year since 2016.
  }
  return new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Whether a deadline was honoured: "met" when Ulak listed the entry (and so stopped
 * sending to it) on or before the deadline, "passed" when it was listed later, "unknown"
 * when a date cannot be read.
 */
export type DeadlineState = "met" | "passed" | "unknown";

/** Türkiye's: the entry was added on or before the last day (Istanbul's calendar). */
export function trDeadlineState(entry: Pick<Suppression, "addedAt" | "deadlineTr">): DeadlineState {
  const added = istanbulDay(entry.addedAt);
  if (added === null || !isDay(entry.deadlineTr)) return "unknown";
  return added <= entry.deadlineTr ? "met" : "passed";
}

/** Gmail's: the entry was added within 48 hours of the request. */
export function gmailDeadlineState(entry: Pick<Suppression, "addedAt" | "deadlineGmail">): DeadlineState {
  const added = parse(entry.addedAt);
  const deadline = parse(entry.deadlineGmail);
  if (!added || !deadline) return "unknown";
  return added.getTime() <= deadline.getTime() ? "met" : "passed";
}

/** One deadline as a table cell shows it. */
export interface DeadlineLine {
  /** "Türkiye: 10 Ara 2026". */
  text: string;
  state: DeadlineState;
  /** "karşılandı" / "süre aşıldı"; "" when unknown. */
  mark: string;
  /** Why: when it was added against the last day. */
  title: string;
}

function deadlineLine(
  lang: Language,
  key: "deadlineTr" | "deadlineGmail",
  date: string,
  state: DeadlineState,
  added: string,
): DeadlineLine {
  const text = translate(lang, `suppression.list.${key}`, { date });
  if (state === "unknown") return { text, state, mark: "", title: "" };
  const params = { added, deadline: date };
  return {
    text,
    state,
    mark: translate(lang, state === "met" ? "suppression.list.met" : "suppression.list.passed"),
    title: translate(lang, state === "met" ? "suppression.list.metTitle" : "suppression.list.passedTitle", params),
  };
}

/** The entry's two deadlines, Türkiye's (a day) and Gmail's (a time), with their marks. */
export function deadlines(entry: Suppression, lang: Language): { tr: DeadlineLine; gmail: DeadlineLine } {
  const added = formatDateTime(entry.addedAt, lang);
  return {
    tr: deadlineLine(lang, "deadlineTr", formatDay(entry.deadlineTr, lang), trDeadlineState(entry), added),
    gmail: deadlineLine(
      lang,
      "deadlineGmail",
      formatDateTime(entry.deadlineGmail, lang) || entry.deadlineGmail,
      gmailDeadlineState(entry),
      added,
    ),
  };
}

// ---- the search box ----

/**
 * Text folded for searching: Turkish lower case ("İ" → "i", "I" → "ı"), then the
 * Turkish letters as their plain forms ("ı" → "i", "ç" → "c", "ğ" → "g"…), so that
 * "CAGLA", "çağla" and "ÇAĞLA" all find "çağla@örnek.com.tr".
 */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFC")
    .toLocaleLowerCase("tr")
    .replace(/ı/g, "i")
    .normalize("NFD")
    .replace(/\p{M}/gu, "");
}

/** A query that is a number (digits and a phone's separators, three digits or more). */
function numberQuery(query: string): string | null {
  if (!PHONE_CHARS.test(query)) return null;
  const digits = query.replace(/\D/g, "").replace(/^0+/, "");
  return digits.length >= 3 ? digits : null;
}

/** Does the entry match the query (its value or note)? An empty query matches all. */
export function matchesSearch(entry: Pick<Suppression, "value" | "note">, query: string): boolean {
  const q = foldForSearch(query.trim());
  if (q === "") return true;
  if (foldForSearch(entry.value).includes(q) || foldForSearch(entry.note).includes(q)) return true;
  // "0532 123" finds "+905321234567": the number's digits, without the trunk zero.
  const digits = numberQuery(query.trim());
  return digits !== null && entry.value.replace(/\D/g, "").includes(digits);
}

export function filterEntries<T extends Pick<Suppression, "value" | "note">>(
  entries: readonly T[],
  query: string,
): T[] {
  return entries.filter((e) => matchesSearch(e, query));
}

// ---- the add's outcome, import and export ----

/** The status line after adding: listed now, or on the list already (kept as it was). */
export function addedText(
  added: { entry: Suppression; new: boolean },
  lang: Language,
): string {
  const { entry } = added;
  if (added.new) return translate(lang, "suppression.added", { value: entry.value });
  return translate(lang, "suppression.already", {
    value: entry.value,
    reason: reasonLabel(entry.reason, lang),
    date: formatDate(entry.requestedAt, lang),
  });
}

/** Why an import line was not taken, in words (as ErrorAlert says an error code). */
export function rejectedReason(row: Pick<SuppressionRejected, "code">, lang: Language): string {
  return describeError(lang, { code: row.code, message: row.code, hint: null }).message;
}

/** "Satır 4: abc — Geçerli bir telefon numarası değil." */
export function rejectedLine(row: SuppressionRejected, lang: Language): string {
  const value = row.value.trim() === "" ? translate(lang, "suppression.import.emptyValue") : row.value;
  return translate(lang, "suppression.import.rejectedLine", {
    line: row.line,
    value,
    reason: rejectedReason(row, lang),
  });
}

/** The export's file name: `engelleme-listesi-YYYY-MM-DD.csv` (the local day). */
export function exportFileName(now: Date): string {
  return `engelleme-listesi-${localDay(now)}.csv`;
}
