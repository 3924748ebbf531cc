// Kampanyalar without Svelte: a campaign's state, progress and wait in words, its
// sending window as text ("Pzt–Cum 09:00–18:00"), the create form's window fields and
// their checks while typing (as the backend's on create: days 1–7, "HH:MM" times, the
// end after the start unless it is "24:00"), which actions a state allows, where the
// backend's errors go on the form, and the forward view's columns.

import type {
  Account,
  AccountShare,
  Action,
  CampaignFailure,
  CampaignState,
  CampaignWait,
  ErrorPayload,
  Language,
  Progress,
  Window,
} from "./bindings";
import { translate, type ErrorText, type MessageKey } from "./i18n";
import { whyKeys } from "./history";
import { formatCount, formatMoment } from "./sending";

/** While the page is open, the list is read again this often… */
export const CAMPAIGN_POLL_MS = 3000;
/** …and the forward view on every this many of those reads. */
export const FORECAST_EVERY = 5;

// ---- states and actions ----------------------------------------------------------------

export const CAMPAIGN_STATES: readonly CampaignState[] = [
  "draft",
  "running",
  "paused",
  "cancelled",
  "done",
];

/** "Taslak", "Gönderiliyor", "Duraklatıldı", "İptal edildi", "Tamamlandı". */
export function stateLabel(lang: Language, state: CampaignState): string {
  return translate(lang, `campaigns.state.${state}`);
}

/** What the user can do in each state, in the buttons' order. */
const ACTIONS: Readonly<Record<CampaignState, readonly Action[]>> = {
  draft: ["run", "cancel"],
  running: ["pause", "cancel"],
  paused: ["resume", "cancel"],
  cancelled: [],
  done: [],
};

export function campaignActions(state: CampaignState): readonly Action[] {
  return ACTIONS[state];
}

/** "Başlat", "Duraklat", "Sürdür", "İptal et". */
export function actionLabel(lang: Language, action: Action): string {
  return translate(lang, `campaigns.action.${action}`);
}

/** Still to be finished: the page keeps reading it. */
export function isActive(state: CampaignState): boolean {
  return state === "draft" || state === "running" || state === "paused";
}

// ---- progress --------------------------------------------------------------------------

/**
 * How much of the campaign is over (sent or failed), in whole percent, rounded down so
 * that 100 means all of it; 0 when it has no messages.
 */
export function progressPercent(p: Pick<Progress, "total" | "sent" | "failed">): number {
  if (p.total <= 0) return 0;
  const pct = Math.floor(((p.sent + p.failed) / p.total) * 100);
  return Math.min(100, Math.max(0, pct));
}

/** "42 / 100 gönderildi · 1 başarısız · 57 bekliyor" (and "· 2 gönderiliyor" while any are). */
export function countsText(
  lang: Language,
  p: Pick<Progress, "total" | "sent" | "failed" | "waiting" | "sending">,
): string {
  const n = (v: number): string => formatCount(lang, v);
  const parts = [
    translate(lang, "campaigns.counts.sent", { sent: n(p.sent), total: n(p.total) }),
    translate(lang, "campaigns.counts.failed", { n: n(p.failed) }),
    translate(lang, "campaigns.counts.waiting", { n: n(p.waiting) }),
  ];
  if (p.sending > 0) parts.push(translate(lang, "campaigns.counts.sending", { n: n(p.sending) }));
  return parts.join(" · ");
}

/** "ayse@firma.com 20 gönderildi" (with the failed and those being sent when any). */
export function shareText(lang: Language, share: AccountShare): string {
  const n = (v: number): string => formatCount(lang, v);
  const parts = [translate(lang, "campaigns.share.sent", { label: share.label, n: n(share.sent) })];
  if (share.failed > 0) parts.push(translate(lang, "campaigns.counts.failed", { n: n(share.failed) }));
  if (share.sending > 0) {
    parts.push(translate(lang, "campaigns.counts.sending", { n: n(share.sending) }));
  }
  return parts.join(" · ");
}

/** A failure's words: what happened (the history's words for its code), else the provider's. */
export function failureWhat(lang: Language, f: Pick<CampaignFailure, "code" | "text">): string {
  if (f.code) return translate(lang, whyKeys(f.code).what);
  return f.text?.trim() || translate(lang, "campaigns.failureUnknown");
}

// ---- waiting ---------------------------------------------------------------------------

/** The last word said when reading a number aloud in Turkish, by its digits. */
const DIGIT_WORDS = ["sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"];
const TENS_WORDS = ["", "on", "yirmi", "otuz", "kırk", "elli"];

function spokenNumberEnd(n: number): string {
  if (n === 0) return DIGIT_WORDS[0] ?? "";
  if (n % 10 === 0) return TENS_WORDS[Math.floor(n / 10) % 6] ?? "";
  return DIGIT_WORDS[n % 10] ?? "";
}

/**
 * The Turkish locative ending of a time as it is read: "09:00" (dokuz) → "'da", "18:00"
 * (sekiz) → "'de", "13:00" (üç) → "'te", "14:40" (kırk) → "'ta". The minutes are read
 * unless they are "00". "'de" when no time can be found at the end.
 */
export function locativeSuffix(text: string): string {
  const m = /(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!m) return "'de";
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  const word = minutes === 0 ? spokenNumberEnd(hours) : spokenNumberEnd(minutes);
  const vowels = [...word].filter((c) => "aeıioöuü".includes(c));
  const back = "aıou".includes(vowels.at(-1) ?? "e");
  const hard = "fstkçşhp".includes(word.at(-1) ?? "");
  return `'${hard ? "t" : "d"}${back ? "a" : "e"}`;
}

/**
 * A moment the sentence says: local time, "14:05" today, "8 Ara 09:00" another day. With
 * `at`, Turkish adds its ending ("09:00'da"); English says "at" in the sentence itself.
 */
function when(lang: Language, iso: string, now: Date, at: boolean, timeZone?: string): string {
  const text = formatMoment(lang, iso, now, timeZone);
  return at && lang === "tr" ? `${text}${locativeSuffix(text)}` : text;
}

/**
 * Why a running campaign's messages wait now: "Gönderim aralığı dışında; 09:00'da
 * açılır", "Şu an uygun hesap yok; 14:05'te devam eder (sınırlar)", "Gün pencereye
 * yayılıyor; sonraki 14:05". Null when it does not wait.
 */
export function waitingText(
  lang: Language,
  wait: CampaignWait | null,
  now: Date,
  timeZone?: string,
): string | null {
  if (!wait) return null;
  switch (wait.why) {
    case "outsideWindow":
      return wait.opens
        ? translate(lang, "campaigns.wait.outsideWindow", { when: when(lang, wait.opens, now, true, timeZone) })
        : translate(lang, "campaigns.wait.outsideWindowNoTime");
    case "noAccount":
      return wait.until
        ? translate(lang, "campaigns.wait.noAccount", { when: when(lang, wait.until, now, true, timeZone) })
        : translate(lang, "campaigns.wait.noAccountNoTime");
    case "spreading":
      return translate(lang, "campaigns.wait.spreading", { when: when(lang, wait.next, now, false, timeZone) });
  }
}

// ---- the window as text ----------------------------------------------------------------

/** 1 = Monday … 7 = Sunday. */
export const DAYS: readonly number[] = [1, 2, 3, 4, 5, 6, 7];

/** "Pzt" / "Mon". */
export function dayShort(lang: Language, day: number): string {
  return translate(lang, `campaigns.day.short.${day}` as MessageKey);
}

/** "Pazartesi" / "Monday". */
export function dayLong(lang: Language, day: number): string {
  return translate(lang, `campaigns.day.long.${day}` as MessageKey);
}

/** The days as said: "Pzt–Cum", "Pzt, Çar, Cum", "Cmt, Paz", "Her gün". */
export function daysText(lang: Language, days: readonly number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 7) return translate(lang, "campaigns.day.every");
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [`${dayShort(lang, run[0] ?? 1)}–${dayShort(lang, run.at(-1) ?? 7)}`]
        : run.map((d) => dayShort(lang, d)),
    )
    .join(", ");
}

/** "Pzt–Cum 09:00–18:00". */
export function windowText(lang: Language, w: Pick<Window, "days" | "start" | "end">): string {
  return `${daysText(lang, w.days)} ${w.start}–${w.end}`;
}

// ---- the form's window -----------------------------------------------------------------

export const DEFAULT_ZONE = "Europe/Istanbul";

/** The zones the form offers (the computer's own is added when it is not one of them). */
export const ZONES: readonly string[] = [
  "Europe/Istanbul",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Paris",
  "Europe/Moscow",
  "Asia/Dubai",
  "Asia/Baku",
  "America/New_York",
  "America/Los_Angeles",
  "UTC",
];

/** The offered zones, with `local` (the computer's) first when it is not among them. */
export function zoneOptions(local: string | null | undefined): string[] {
  const own = local?.trim();
  return own && !ZONES.includes(own) ? [own, ...ZONES] : [...ZONES];
}

/** The window as the form holds it. */
export interface WindowForm {
  days: number[];
  start: string;
  end: string;
  timeZone: string;
  skipHolidays: boolean;
}

/** Monday to Friday, 09:00–18:00 in Istanbul, no sending on public holidays. */
export function newWindowForm(): WindowForm {
  return { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00", timeZone: DEFAULT_ZONE, skipHolidays: true };
}

/** The days with `day` ticked or not, in order. */
export function toggleDay(days: readonly number[], day: number, on: boolean): number[] {
  const rest = days.filter((d) => d !== day);
  return (on ? [...rest, day] : rest).sort((a, b) => a - b);
}

/**
 * A time as typed ("9:00", "09.30", " 18:00 ") as minutes after midnight; 24:00 is 1440.
 * Undefined when it is not a time.
 */
export function parseTime(raw: string): number | undefined {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(raw.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 24 * 60;
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** A time as the backend takes it, "HH:MM"; undefined when it is not a time. */
export function normalizeTime(raw: string): string | undefined {
  const minutes = parseTime(raw);
  if (minutes === undefined) return undefined;
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export type WindowField = "days" | "start" | "end";

function issue(lang: Language, key: string, hint: string | null = null): ErrorText {
  return {
    message: translate(lang, `campaigns.form.error.${key}` as MessageKey),
    hint: hint === null ? null : translate(lang, `campaigns.form.error.${hint}` as MessageKey),
  };
}

/**
 * The window's checks while typing; a field is missing from the answer when it is fine.
 * The end is checked against the start only when both are times.
 */
export function validateWindow(
  lang: Language,
  form: Pick<WindowForm, "days" | "start" | "end">,
): Partial<Record<WindowField, ErrorText>> {
  const out: Partial<Record<WindowField, ErrorText>> = {};
  if (!form.days.some((d) => d >= 1 && d <= 7)) out.days = issue(lang, "days");
  const start = parseTime(form.start);
  const end = parseTime(form.end);
  if (start === undefined) out.start = issue(lang, "time", "timeHint");
  else if (start === 24 * 60) out.start = issue(lang, "startEndOfDay", "timeHint");
  if (end === undefined) out.end = issue(lang, "time", "timeHint");
  else if (start !== undefined && start < 24 * 60 && end <= start) {
    out.end = issue(lang, "order", "orderHint");
  }
  return out;
}

/** What to send; null while a check fails (validateWindow says which). */
export function toWindow(form: WindowForm): Window | null {
  const start = normalizeTime(form.start);
  const end = normalizeTime(form.end);
  if (start === undefined || end === undefined) return null;
  if (Object.keys(validateWindow("en", form)).length > 0) return null;
  return {
    days: [...new Set(form.days)].sort((a, b) => a - b),
    start,
    end,
    timeZone: form.timeZone,
    skipHolidays: form.skipHolidays,
  };
}

// ---- the rest of the form --------------------------------------------------------------

/** The form's parts the backend's errors can name (`ErrorPayload.field`). */
export type FormField = "name" | "template" | "recipients" | "accounts" | "window" | "timeZone";

const FORM_FIELDS: readonly FormField[] = ["name", "template", "recipients", "accounts", "window", "timeZone"];

/** Where a create error goes: the field it names (or its code implies), else null (the top). */
export function createErrorField(err: Pick<ErrorPayload, "code" | "field">): FormField | null {
  const field = err.field ?? null;
  if (field !== null && (FORM_FIELDS as readonly string[]).includes(field)) return field as FormField;
  if (field === "companies" || field === "csv") return "recipients";
  if (field === "days" || field === "start" || field === "end") return "window";
  switch (err.code) {
    case "campaign.duplicate":
      return "name";
    case "campaign.bad_window":
      return "window";
    case "campaign.bad_zone":
      return "timeZone";
    case "campaign.no_accounts":
      return "accounts";
    case "campaign.no_recipients":
    case "import.bad_csv":
      return "recipients";
    case "template.not_found":
      return "template";
    default:
      return null;
  }
}

/** A sending account's label: "ayse@firma.com (günde en çok 30)". */
export function accountLabel(lang: Language, account: Pick<Account, "email" | "limits">): string {
  const daily = account.limits.daily;
  if (daily === null) return account.email;
  return translate(lang, "campaigns.form.accountDaily", {
    email: account.email,
    n: formatCount(lang, daily),
  });
}

/** "{n} ileti kuyruğa alındı; başlatmak için Başlat'a basın". */
export function createdText(lang: Language, recipients: number): string {
  return translate(lang, recipients === 1 ? "campaigns.created.one" : "campaigns.created.many", {
    n: formatCount(lang, recipients),
  });
}

// ---- the forward view ------------------------------------------------------------------

/** The days the forward view shows of the backend's 14. */
export const FORECAST_SHOWN = 7;

const LOCALES: Record<Language, string> = { tr: "tr-TR", en: "en-GB" };

/** A column's heading: "Bugün", "Yarın", then "10 Ara Çar" (the day as dated, no zone shift). */
export function forecastDayLabel(lang: Language, day: string, index: number): string {
  if (index === 0) return translate(lang, "campaigns.forecast.today");
  if (index === 1) return translate(lang, "campaigns.forecast.tomorrow");
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: "numeric",
    month: "short",
    weekday: "short",
    timeZone: "UTC",
  }).format(date);
}

/** "{n} ileti önümüzdeki 14 günde gönderilemeyecek: …"; null when every message has a day. */
export function unplacedText(lang: Language, unplaced: number, days: number): string | null {
  if (unplaced <= 0) return null;
  return translate(lang, "campaigns.forecast.unplaced", {
    n: formatCount(lang, unplaced),
    days: formatCount(lang, days),
  });
}
