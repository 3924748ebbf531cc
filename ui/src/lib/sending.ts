// An e-mail account's sending without Svelte: its status, today's count against the
// user's limit and the provider's ceiling, when it can send next and why it waits, its
// queue and its last error, in words (`senders.*`), a reason Ulak itself wrote (too many
// hard bounces, "ulak:bounces B T") in words too; and the form's "Gönderim sınırları"
// fields: limits ⇄ the text typed, and the checks made while typing (as the backend's
// on save: daily and ramp-up 1–100 000, waits 0–86 400 000 ms).

import type {
  Account,
  Ceilings,
  ErrorPayload,
  Language,
  Limits,
  SenderStatus,
  Sending,
  Unit,
  Wait,
} from "./bindings";
import { describeError, translate, type ErrorText } from "./i18n";

// ---- numbers and moments ---------------------------------------------------------------

const LOCALES: Record<Language, string> = { tr: "tr-TR", en: "en-GB" };

/** "100.000" in Turkish, "100,000" in English. */
export function formatCount(lang: Language, n: number): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 3 }).format(n);
}

/** The calendar day of `d` in `timeZone` (the computer's when undefined), "2025-12-08". */
function dayOf(d: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZone,
  }).format(d);
}

/**
 * A moment in local time: "14:05" today, "8 Ara 00:00" (English "8 Dec 00:00") another
 * day, with the year when it is not this year's. An unreadable value comes back as it is.
 */
export function formatMoment(
  lang: Language,
  iso: string,
  now: Date,
  timeZone?: string,
): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = new Intl.DateTimeFormat(LOCALES[lang], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(d);
  const day = dayOf(d, timeZone);
  const today = dayOf(now, timeZone);
  if (day === today) return time;
  const date = new Intl.DateTimeFormat(LOCALES[lang], {
    day: "numeric",
    month: "short",
    year: day.slice(0, 4) === today.slice(0, 4) ? undefined : "numeric",
    timeZone,
  }).format(d);
  return `${date} ${time}`;
}

// ---- why an account stopped -----------------------------------------------------------

/** The days over which the backend counts an account's hard bounces. */
export const BOUNCE_DAYS = 28;
/** The share of hard bounces (in %) above which the backend stops an account. */
export const BOUNCE_LIMIT_PERCENT = 2;

/** The machine-readable reason of an account stopped for its bounces: "ulak:bounces B T". */
const BOUNCE_REASON = /^ulak:bounces\s+(\d+)\s+(\d+)\s*$/;

/** `bounced` of `total` messages (sent and bounced) came back in the last BOUNCE_DAYS. */
export interface Bounces {
  bounced: number;
  total: number;
}

/** The counts of a reason written for too many hard bounces; null for any other reason. */
export function parseBounces(reason: string | null | undefined): Bounces | null {
  const m = BOUNCE_REASON.exec(reason?.trim() ?? "");
  if (!m) return null;
  const bounced = Number(m[1]);
  const total = Number(m[2]);
  if (!Number.isSafeInteger(bounced) || !Number.isSafeInteger(total)) return null;
  if (total <= 0 || bounced > total) return null;
  return { bounced, total };
}

/** A share in % with one decimal, the language's decimal mark: "10,0" ("10.0"). */
export function formatShare(lang: Language, percent: number): string {
  return new Intl.NumberFormat(LOCALES[lang], {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(percent);
}

/**
 * A status reason in words: what happened and, for a reason Ulak wrote itself (too many
 * hard bounces), how to get the account going again; any other reason (the provider's
 * words) as it is, with no fix of its own.
 */
export function describeReason(lang: Language, reason: string): { text: string; fix: string | null } {
  const bounces = parseBounces(reason);
  if (!bounces) return { text: reason, fix: null };
  return {
    text: translate(lang, "senders.bounces.what", {
      days: formatCount(lang, BOUNCE_DAYS),
      total: formatCount(lang, bounces.total),
      bounced: formatCount(lang, bounces.bounced),
      share: formatShare(lang, (bounces.bounced / bounces.total) * 100),
      limit: formatCount(lang, BOUNCE_LIMIT_PERCENT),
    }),
    fix: translate(lang, "senders.bounces.fix"),
  };
}

/** What happened, in words (see describeReason): the reason without how to fix it. */
export function reasonText(lang: Language, reason: string): string {
  return describeReason(lang, reason).text;
}

// ---- whose limit -----------------------------------------------------------------------

const BACK_VOWELS = "aıou";
const VOWELS = "aeıioöuü";
/** How the last word of a number is said: by the last digit, or by the zeros after it. */
const DIGIT_WORDS = ["sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"];
const TENS_WORDS = ["", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan"];
/** An acronym's last letter as it is said ("GMX" → iks). */
const LETTER_WORDS: Record<string, string> = {
  b: "be", c: "ce", ç: "çe", d: "de", f: "fe", g: "ge", ğ: "ge", h: "he", j: "je", k: "ka",
  l: "le", m: "me", n: "ne", p: "pe", q: "kü", r: "re", s: "se", ş: "şe", t: "te", v: "ve",
  w: "ve", x: "iks", y: "ye", z: "ze",
};

/** The word a Turkish speaker says last when reading `name` aloud (lower case). */
function spokenEnd(name: string): string {
  const trimmed = name.trim();
  const digits = /(\d+)\D*$/u.exec(trimmed);
  const letters = /([\p{L}]+)[^\p{L}]*$/u.exec(trimmed);
  // Whichever comes last: "Microsoft 365" ends with a number, "1&1 IONOS" with a word.
  const n = digits?.[1] ?? "";
  const word = letters?.[1] ?? "";
  const digitsEnd = digits ? digits.index + n.length : -1;
  const lettersEnd = letters ? letters.index + word.length : -1;
  if (n !== "" && digitsEnd > lettersEnd) {
    const zeros = n.length - n.replace(/0+$/, "").length;
    if (zeros === n.length) return DIGIT_WORDS[0] ?? "";
    if (zeros === 0) return DIGIT_WORDS[Number(n.at(-1))] ?? "";
    if (zeros === 1) return TENS_WORDS[Number(n.at(-2))] ?? "";
    if (zeros === 2) return "yüz";
    return zeros < 6 ? "bin" : "milyon";
  }
  // An acronym is read letter by letter ("GMX" → ge-me-iks).
  if (word.length > 1 && word.length <= 4 && word === word.toLocaleUpperCase("tr")) {
    const last = word.toLocaleLowerCase("tr").at(-1) ?? "";
    return LETTER_WORDS[last] ?? last;
  }
  return word.toLocaleLowerCase("tr");
}

/**
 * Whose: "Gmail'in", "Yahoo'nun", "Microsoft 365'in", "Outlook.com'un"; in English
 * "Gmail's". The Turkish suffix follows how the name's end is said (vowel harmony, with
 * "n" after a vowel).
 */
export function possessive(lang: Language, name: string): string {
  const n = name.trim();
  if (lang === "en") return /s$/i.test(n) ? `${n}'` : `${n}'s`;
  const end = spokenEnd(n);
  const vowels = [...end].filter((c) => VOWELS.includes(c));
  const last = vowels.at(-1) ?? "i";
  let vowel: string;
  if (BACK_VOWELS.includes(last)) vowel = last === "a" || last === "ı" ? "ı" : "u";
  else vowel = last === "e" || last === "i" ? "i" : "ü";
  const afterVowel = end !== "" && VOWELS.includes(end.at(-1) ?? "");
  return `${n}'${afterVowel ? "n" : ""}${vowel}n`;
}

// ---- an account's sending in words -----------------------------------------------------

export function statusLabel(lang: Language, status: SenderStatus): string {
  return translate(lang, `senders.status.${status}`);
}

function unitWord(lang: Language, unit: Unit): string {
  return translate(lang, `senders.unit.${unit}`);
}

/** Why its messages are not going out now, e.g. "günlük sınır doldu (30)". */
export function waitReason(lang: Language, wait: Wait): string {
  switch (wait.why) {
    case "inactive":
      return translate(lang, "senders.wait.inactive");
    case "error":
      return translate(lang, "senders.wait.error", { reason: reasonText(lang, wait.reason) });
    case "dailyLimit":
      return translate(lang, "senders.wait.dailyLimit", { limit: formatCount(lang, wait.limit) });
    case "providerDay":
      return translate(lang, "senders.wait.providerDay");
    case "providerMinute":
      return translate(lang, "senders.wait.providerMinute");
    case "pacing":
      return translate(lang, "senders.wait.pacing");
  }
}

/** "Bugün 12 / 30", "Bugün 12 (sınırsız)"; "(kademeli artış)" while ramp-up holds it lower. */
export function todayText(
  lang: Language,
  s: Pick<Sending, "sentToday" | "dailyToday" | "limits">,
): string {
  const sent = formatCount(lang, s.sentToday);
  if (s.dailyToday === null) return translate(lang, "senders.todayUnlimited", { sent });
  const limit = formatCount(lang, s.dailyToday);
  const ramping =
    s.limits.rampUp !== null && (s.limits.daily === null || s.dailyToday < s.limits.daily);
  return translate(lang, ramping ? "senders.todayRampUp" : "senders.today", { sent, limit });
}

/**
 * The provider's ceilings as used: "Gmail sınırı: 412 / 500 ileti (son 24 saat),
 * dakikada 3 / 30"; null when the provider has none.
 */
export function providerLimitText(
  lang: Language,
  provider: string | null,
  s: Pick<Sending, "ceilings" | "providerUsed" | "minuteUsed">,
): string | null {
  const { day, unit, minute } = s.ceilings;
  if (day === null && minute === null) return null;
  const name = provider?.trim() || translate(lang, "senders.providerUnknown");
  const perMinute =
    minute === null
      ? null
      : { used: formatCount(lang, s.minuteUsed), limit: formatCount(lang, minute) };
  if (day === null && perMinute) {
    return translate(lang, "senders.providerMinuteOnly", { provider: name, ...perMinute });
  }
  const dayText = translate(lang, "senders.providerDay", {
    provider: name,
    used: formatCount(lang, s.providerUsed),
    limit: formatCount(lang, day ?? 0),
    unit: unitWord(lang, unit),
  });
  if (!perMinute) return dayText;
  return `${dayText}${translate(lang, "smtp.listSeparator")}${translate(lang, "senders.providerMinute", perMinute)}`;
}

/**
 * The form's read-only line: "Gmail'in kendi sınırı: günde 500 ileti (son 24 saat)";
 * null when the provider has no ceilings.
 */
export function ceilingText(
  lang: Language,
  provider: string | null,
  ceilings: Ceilings,
): string | null {
  const parts: string[] = [];
  if (ceilings.day !== null) {
    parts.push(
      translate(lang, "senders.ceiling.day", {
        limit: formatCount(lang, ceilings.day),
        unit: unitWord(lang, ceilings.unit),
      }),
    );
  }
  if (ceilings.minute !== null) {
    parts.push(translate(lang, "senders.ceiling.minute", { limit: formatCount(lang, ceilings.minute) }));
  }
  if (parts.length === 0) return null;
  const name = provider?.trim();
  const owner = name ? possessive(lang, name) : translate(lang, "senders.ceiling.unknownOwner");
  return translate(lang, "senders.ceiling.line", {
    owner,
    limits: parts.join(translate(lang, "smtp.listSeparator")),
  });
}

/** The wait the status implies when the backend gave none (an account off or in error). */
function waitOf(s: Pick<Sending, "status" | "statusReason" | "waiting">): Wait | null {
  if (s.waiting) return s.waiting;
  if (s.status === "inactive") return { why: "inactive" };
  if (s.status === "error") return { why: "error", reason: s.statusReason ?? "" };
  return null;
}

/** Whether the wait ends by itself (a time) or needs the user (off, in error). */
function endsByItself(wait: Wait | null): boolean {
  return wait === null || (wait.why !== "inactive" && wait.why !== "error");
}

/**
 * When it sends next: "Şimdi gönderebilir", "Sonraki gönderim: 14:05 — günlük sınır
 * doldu (30)", or "Gönderim bekliyor: hesap kapalı" when no time can be said.
 */
export function nextFreeText(
  lang: Language,
  s: Pick<Sending, "status" | "statusReason" | "nextFreeAt" | "waiting">,
  now: Date,
  timeZone?: string,
): { text: string; now: boolean } {
  const wait = waitOf(s);
  const at = s.nextFreeAt ? new Date(s.nextFreeAt) : null;
  const passed = at !== null && !Number.isNaN(at.getTime()) && at.getTime() <= now.getTime();
  if ((s.nextFreeAt === null || passed) && endsByItself(wait)) {
    return { text: translate(lang, "senders.now"), now: true };
  }
  const why = wait ? waitReason(lang, wait) : null;
  if (s.nextFreeAt === null) {
    return { text: translate(lang, "senders.waitingWhy", { why: why ?? "" }), now: false };
  }
  const when = formatMoment(lang, s.nextFreeAt, now, timeZone);
  return {
    text: why
      ? translate(lang, "senders.nextAtWhy", { when, why })
      : translate(lang, "senders.nextAt", { when }),
    now: false,
  };
}

/** "3 ileti sırada"; null when nothing is queued. */
export function queuedText(lang: Language, n: number): string | null {
  if (n <= 0) return null;
  return translate(lang, n === 1 ? "senders.queuedOne" : "senders.queued", { n: formatCount(lang, n) });
}

export interface SendingContext {
  /** The account's provider ("Gmail"); null when the provider table does not know it. */
  provider: string | null;
  /** Signs in with OAuth: the fix for an error is not a password. */
  oauth?: boolean;
  now: Date;
  /** For tests; the computer's zone when undefined. */
  timeZone?: string;
}

/** What an account row shows about its sending. */
export interface SendingView {
  status: SenderStatus;
  statusLabel: string;
  /** "Bugün 12 / 30"; null when the sending is not known (only the account's status). */
  today: string | null;
  /** "Gmail sınırı: 412 / 500 ileti (son 24 saat)"; null when there is no ceiling. */
  providerLimit: string | null;
  /** "Şimdi gönderebilir" or when it sends next, and why; null when not known. */
  next: string | null;
  /** It can send now. */
  ready: boolean;
  /** "3 ileti sırada"; null when nothing waits. */
  queued: string | null;
  /** Why it stopped (in error), or its last error; null when neither. */
  lastError: string | null;
  /** How to get it going again (in error); null otherwise. */
  fix: string | null;
}

function errorParts(
  lang: Language,
  status: SenderStatus,
  reason: string | null,
  last: { error: string | null; at: string | null },
  ctx: SendingContext,
): Pick<SendingView, "lastError" | "fix"> {
  if (status === "error") {
    const why = reason?.trim() || last.error?.trim() || "";
    const words = why ? describeReason(lang, why) : null;
    return {
      lastError: words
        ? translate(lang, "senders.stopped", { reason: words.text })
        : translate(lang, "senders.stoppedNoReason"),
      fix: words?.fix ?? translate(lang, ctx.oauth ? "senders.fix.oauth" : "senders.fix.password"),
    };
  }
  const raw = last.error?.trim();
  if (!raw) return { lastError: null, fix: null };
  const error = reasonText(lang, raw);
  const when = last.at ? formatMoment(lang, last.at, ctx.now, ctx.timeZone) : null;
  return {
    lastError: when
      ? translate(lang, "senders.lastError", { when, error })
      : translate(lang, "senders.lastErrorNoTime", { error }),
    fix: null,
  };
}

/** Only the account's own status (its sending could not be read). */
export function describeStatus(
  lang: Language,
  status: SenderStatus,
  reason: string | null,
  ctx: SendingContext,
): SendingView {
  return {
    status,
    statusLabel: statusLabel(lang, status),
    today: null,
    providerLimit: null,
    next: null,
    ready: status === "active" || status === "pending",
    queued: null,
    ...errorParts(lang, status, reason, { error: null, at: null }, ctx),
  };
}

/** Everything an account row shows about its sending. */
export function describeSending(lang: Language, s: Sending, ctx: SendingContext): SendingView {
  const next = nextFreeText(lang, s, ctx.now, ctx.timeZone);
  return {
    status: s.status,
    statusLabel: statusLabel(lang, s.status),
    today: todayText(lang, s),
    providerLimit: providerLimitText(lang, ctx.provider, s),
    next: next.text,
    ready: next.now,
    queued: queuedText(lang, s.queued),
    ...errorParts(lang, s.status, s.statusReason, { error: s.lastError, at: s.lastErrorAt }, ctx),
  };
}

/**
 * What an account's row shows of its sending: all of it once its sending has been read
 * (`sending`), else its own status (and why it stopped).
 */
export function accountSendingView(
  lang: Language,
  account: Pick<Account, "provider" | "oauth" | "status" | "statusReason">,
  sending: Sending | null,
  now: Date,
): SendingView {
  const ctx = { provider: account.provider, oauth: account.oauth !== null, now };
  return sending
    ? describeSending(lang, sending, ctx)
    : describeStatus(lang, account.status, account.statusReason, ctx);
}

// ---- the form's "Gönderim sınırları" ---------------------------------------------------

/** The backend's names for the limits (ErrorPayload.field on `validation.range`). */
export const LIMIT_FIELDS = ["dailyLimit", "rampUp", "minWait", "jitter"] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export function isLimitField(field: string | null | undefined): field is LimitField {
  return typeof field === "string" && (LIMIT_FIELDS as readonly string[]).includes(field);
}

/** Each limit's input. */
export const LIMIT_IDS: Readonly<Record<LimitField, string>> = {
  dailyLimit: "limit-daily",
  rampUp: "limit-ramp-up",
  minWait: "limit-min-wait",
  jitter: "limit-jitter",
};

/** Sends a day, and the ramp-up's first day: whole numbers. */
export const COUNT_RANGE = { min: 1, max: 100_000 } as const;
/** A wait, in milliseconds (up to a day). */
export const WAIT_RANGE_MS = { min: 0, max: 86_400_000 } as const;

/** The limits as typed: counts as whole numbers, waits in seconds ("0,5"). */
export interface LimitsForm {
  /** Empty: no limit. */
  dailyLimit: string;
  /** Empty: no ramp-up. */
  rampUp: string;
  minWait: string;
  jitter: string;
  /** The account sends (not switched off). */
  active: boolean;
}

/** A new account's: 30 a day, a second between sends, no jitter, no ramp-up, on. */
export function newLimitsForm(): LimitsForm {
  return { dailyLimit: "30", rampUp: "", minWait: "1", jitter: "0", active: true };
}

/** Milliseconds as seconds the way the language writes them: 500 → "0,5" ("0.5"). */
export function secondsText(lang: Language, ms: number): string {
  const text = String(Math.round(ms) / 1000);
  return lang === "tr" ? text.replace(".", ",") : text;
}

/** The stored limits in the form; `active` is whether the account is not switched off. */
export function limitsForm(lang: Language, limits: Limits, active: boolean): LimitsForm {
  return {
    dailyLimit: limits.daily === null ? "" : String(limits.daily),
    rampUp: limits.rampUp === null ? "" : String(limits.rampUp),
    minWait: secondsText(lang, limits.minWaitMs),
    jitter: secondsText(lang, limits.jitterMs),
    active,
  };
}

/** A count as typed: its value, null when empty (none); undefined when it is not one. */
export function parseCount(raw: string): number | null | undefined {
  const v = raw.trim();
  if (v === "") return null;
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= COUNT_RANGE.min && n <= COUNT_RANGE.max ? n : undefined;
}

/**
 * Seconds as typed, with a decimal comma or point ("1", "0,5", ".25"), in milliseconds;
 * empty is 0; undefined when it is not a wait Ulak takes.
 */
export function parseSeconds(raw: string): number | undefined {
  const v = raw.trim();
  if (v === "") return 0;
  if (!/^(\d+([.,]\d*)?|[.,]\d+)$/.test(v)) return undefined;
  const ms = Math.round(Number(v.replace(",", ".")) * 1000);
  return ms >= WAIT_RANGE_MS.min && ms <= WAIT_RANGE_MS.max ? ms : undefined;
}

/** A limit's own words for a value out of range: what is wrong and how to fix it. */
export function limitFieldError(lang: Language, field: LimitField): ErrorText {
  const max =
    field === "dailyLimit" || field === "rampUp"
      ? formatCount(lang, COUNT_RANGE.max)
      : formatCount(lang, WAIT_RANGE_MS.max / 1000);
  return {
    message: translate(lang, `senders.limits.error.${field}.message`),
    hint: translate(lang, `senders.limits.error.${field}.hint`, { max }),
  };
}

/**
 * One limit's check while typing: null when fine. `badInput` is a number input's
 * `validity.badInput` (the browser then reports "" for what was typed).
 */
export function validateLimit(
  lang: Language,
  field: LimitField,
  raw: string,
  badInput = false,
): ErrorText | null {
  const fine =
    !badInput &&
    (field === "dailyLimit" || field === "rampUp"
      ? parseCount(raw) !== undefined
      : parseSeconds(raw) !== undefined);
  return fine ? null : limitFieldError(lang, field);
}

/** Every limit's check; a field is missing from the answer when it is fine. */
export function validateLimits(
  lang: Language,
  form: LimitsForm,
  badInput: Partial<Record<LimitField, boolean>> = {},
): Partial<Record<LimitField, ErrorText>> {
  const issues: Partial<Record<LimitField, ErrorText>> = {};
  for (const field of LIMIT_FIELDS) {
    const issue = validateLimit(lang, field, form[field], badInput[field] ?? false);
    if (issue) issues[field] = issue;
  }
  return issues;
}

/** What to send; null when a value is not one Ulak takes (validateLimits says which). */
export function formToLimits(form: LimitsForm): Limits | null {
  const daily = parseCount(form.dailyLimit);
  const rampUp = parseCount(form.rampUp);
  const minWaitMs = parseSeconds(form.minWait);
  const jitterMs = parseSeconds(form.jitter);
  if (daily === undefined || rampUp === undefined) return null;
  if (minWaitMs === undefined || jitterMs === undefined) return null;
  return { daily, minWaitMs, jitterMs, rampUp };
}

/**
 * The backend's error about a limit, under its input: out of range in the limit's own
 * words (with how to fix it), anything else as the backend says.
 */
export function limitServerError(lang: Language, field: LimitField, err: ErrorPayload): ErrorText {
  return err.code === "validation.range" ? limitFieldError(lang, field) : describeError(lang, err);
}
