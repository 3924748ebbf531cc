// Bildirimler's event matrix without Svelte: the events in the order the matrix lists
// them, each row's channels (the desktop, e-mail, Slack and Telegram are all toggled
// here), whether e-mail, Slack and Telegram are set up to be chosen, its frequency as the
// select's value and in words, and how many webhook endpoints get the event. Then where
// notification e-mails go ("E-posta bildirimleri"): the address, checked as the backend
// checks it, and the account they are sent from (or the sandbox, "Test kutusu").

import type {
  Account,
  Endpoint,
  ErrorPayload,
  EventPrefs,
  Integration,
  Language,
  NoticeChannel,
  NoticeEmail,
  NoticeEvent,
  NoticeSettings,
} from "./bindings";
import { SANDBOX, accountIdOf, accountLabel } from "./compose";
import { translate, type MessageKey } from "./i18n";
import { specFor } from "./providers";
import { LIMITS, validateEmail, type FieldIssue } from "./validation";
import { ALL_EVENTS } from "./webhooks";

/** The matrix's rows, in order: failures first. */
export const NOTICE_EVENTS = [
  "message.failed",
  "message.stuck",
  "message.sent",
  "account.reconnect",
  "account.daily_limit",
  "campaign.finished",
  "integration.error",
  "webhook.failing",
] as const satisfies readonly NoticeEvent[];

/** An event's words in the matrix. */
const EVENT_KEYS: Record<NoticeEvent, MessageKey> = {
  "message.failed": "notifications.event.messageFailed",
  "message.sent": "notifications.event.messageSent",
  "message.stuck": "notifications.event.messageStuck",
  "webhook.failing": "notifications.event.webhookFailing",
  "account.reconnect": "notifications.event.accountReconnect",
  "account.daily_limit": "notifications.event.dailyLimit",
  "campaign.finished": "notifications.event.campaignFinished",
  "integration.error": "notifications.event.integrationError",
};

/**
 * An event's words in the matrix; the stuck event's tell its threshold ("İleti 15
 * dakikadır gönderilemiyor").
 */
export function noticeEventName(
  event: NoticeEvent,
  lang: Language,
  stuckMinutes: number = STUCK_MINUTES.default,
): string {
  return translate(lang, EVENT_KEYS[event], { minutes: stuckMinutes });
}

/** The event in element ids: the dot becomes a dash ("message.failed" → "message-failed"). */
export function eventSlug(event: NoticeEvent): string {
  return event.replace(/\./g, "-");
}

/** What the backend uses for an event missing from the stored rows. */
export function defaultPrefs(event: NoticeEvent): EventPrefs {
  const channels: NoticeChannel[] = event === "message.sent" ? [] : ["desktop"];
  return { event, channels, minIntervalSecs: 0, digestSecs: 0 };
}

/** The event's row as stored (its default when it is missing). */
export function prefsFor(settings: NoticeSettings, event: NoticeEvent): EventPrefs {
  return settings.prefs.events.find((p) => p.event === event) ?? defaultPrefs(event);
}

/** The settings with the event's row changed; a missing row is added from its default. */
function withRow(
  settings: NoticeSettings,
  event: NoticeEvent,
  change: (row: EventPrefs) => EventPrefs,
): NoticeSettings {
  const rows = settings.prefs.events;
  const found = rows.some((p) => p.event === event);
  const events = found
    ? rows.map((p) => (p.event === event ? change(p) : p))
    : [...rows, change(defaultPrefs(event))];
  return { ...settings, prefs: { ...settings.prefs, events } };
}

/**
 * The event told on `channel` or not; its other channels stay as they are. The desktop
 * goes first, any other channel after those already chosen.
 */
export function withChannel(
  settings: NoticeSettings,
  event: NoticeEvent,
  channel: NoticeChannel,
  on: boolean,
): NoticeSettings {
  return withRow(settings, event, (row) => {
    const others = row.channels.filter((c) => c !== channel);
    if (!on) return { ...row, channels: others };
    return { ...row, channels: channel === "desktop" ? [channel, ...others] : [...others, channel] };
  });
}

/** The event told on the desktop or not; its other channels stay as they are. */
export function withDesktop(
  settings: NoticeSettings,
  event: NoticeEvent,
  on: boolean,
): NoticeSettings {
  return withChannel(settings, event, "desktop", on);
}

// ---- The stuck threshold -----------------------------------------------------------

/** How long a message retries before it is told as stuck, in minutes, as the backend takes it. */
export const STUCK_MINUTES = { min: 5, max: 1440, default: 15 } as const;

/** The settings' stuck threshold (its default when not stored). */
export function stuckMinutes(settings: NoticeSettings): number {
  return settings.prefs.stuckAfterMinutes ?? STUCK_MINUTES.default;
}

/** The threshold as a number when the raw text is a whole number in range, else null. */
export function parseStuckMinutes(raw: string): number | null {
  const v = raw.trim();
  if (!/^\d{1,9}$/.test(v)) return null;
  const n = Number(v);
  return n >= STUCK_MINUTES.min && n <= STUCK_MINUTES.max ? n : null;
}

/**
 * The threshold input's check: empty or out of range is refused, saying the range.
 * `badInput` is the number input's `validity.badInput` (the browser then reports "").
 */
export function validateStuckMinutes(raw: string, badInput = false): FieldIssue | null {
  return !badInput && parseStuckMinutes(raw) !== null
    ? null
    : { code: "validation.range", params: { min: STUCK_MINUTES.min, max: STUCK_MINUTES.max } };
}

/**
 * What the threshold input would save: the typed minutes when they are valid and not
 * those in effect; null (nothing to save) otherwise.
 */
export function stuckToSave(raw: string, badInput: boolean, current: number): number | null {
  const minutes = badInput ? null : parseStuckMinutes(raw);
  return minutes === null || minutes === current ? null : minutes;
}

/** The settings with the stuck threshold set; null for a value out of range. */
export function withStuckMinutes(settings: NoticeSettings, minutes: number): NoticeSettings | null {
  if (!Number.isInteger(minutes) || minutes < STUCK_MINUTES.min || minutes > STUCK_MINUTES.max) {
    return null;
  }
  return { ...settings, prefs: { ...settings.prefs, stuckAfterMinutes: minutes } };
}

// ---- Slack and Telegram ------------------------------------------------------------

/** The chat channels the matrix has a column for, in order (after the desktop's). */
export const CHAT_NOTICE_CHANNELS = ["slack", "telegram"] as const satisfies readonly NoticeChannel[];

export type ChatNoticeChannel = (typeof CHAT_NOTICE_CHANNELS)[number];

/** The column's name: the provider's, from its spec ("Slack", "Telegram"). */
export function chatChannelName(channel: ChatNoticeChannel, lang: Language): string {
  return specFor("chat", channel).name[lang];
}

/**
 * The channel can be chosen: the workspace has the integration (channel "chat", the
 * channel's provider) and it is active.
 */
export function chatReady(
  items: readonly Pick<Integration, "channel" | "provider" | "active">[],
  channel: ChatNoticeChannel,
): boolean {
  return items.some((i) => i.channel === "chat" && i.provider === channel && i.active);
}

/** The event's frequency set from the select's value; null for a value that is not one. */
export function withFrequency(
  settings: NoticeSettings,
  event: NoticeEvent,
  value: string,
): NoticeSettings | null {
  const freq = parseFrequency(value);
  if (!freq) return null;
  return withRow(settings, event, (row) => ({ ...row, ...freq }));
}

// ---- E-mail ------------------------------------------------------------------------

/** Where notification e-mails go, as stored; null when none are sent (no address). */
export function noticeEmail(settings: NoticeSettings): NoticeEmail | null {
  const email = settings.email ?? null;
  return email !== null && email.address.trim() !== "" ? email : null;
}

/** The matrix's e-mail column can be chosen: an address is saved. */
export function emailReady(settings: NoticeSettings): boolean {
  return noticeEmail(settings) !== null;
}

/**
 * The address input's check, as the backend makes it (field "notifyEmail"): required
 * (turning e-mails off is "Kapat"'s), at most 254 characters, a plausible address.
 */
export function validateNoticeEmail(raw: string): FieldIssue | null {
  return validateEmail(raw, { required: true, max: LIMITS.senderEmail });
}

/**
 * The settings with where e-mails go set, the address trimmed; null, or an empty
 * address, turns e-mail notifications off (the matrix's e-mail choices are kept).
 */
export function withEmail(settings: NoticeSettings, email: NoticeEmail | null): NoticeSettings {
  const address = email?.address.trim() ?? "";
  return {
    ...settings,
    email: email !== null && address !== "" ? { address, accountId: email.accountId } : null,
  };
}

/** The account select's value for an account id: the id as text, or SANDBOX for null. */
export function emailAccountChoice(accountId: number | null): string {
  return accountId === null ? SANDBOX : String(accountId);
}

/** What the section's form saves; null while the address is not valid. */
export function emailToSave(address: string, choice: string): NoticeEmail | null {
  if (validateNoticeEmail(address) !== null) return null;
  return { address: address.trim(), accountId: accountIdOf(choice) };
}

/** The form says something else than what is stored (its Kaydet has something to save). */
export function emailChanged(stored: NoticeEmail | null, address: string, choice: string): boolean {
  if (stored === null) return address.trim() !== "";
  return address.trim() !== stored.address || accountIdOf(choice) !== stored.accountId;
}

/** One choice of the sending account's select. */
export interface AccountOption {
  value: string;
  label: string;
}

/**
 * The sending account's choices: the workspace's active accounts ("address — name"), the
 * chosen one when it is not among them (switched off, removed; while the list is not
 * `known`, by its number only), then the sandbox, "Test kutusu (gönderilmez)".
 */
export function emailAccountOptions(
  accounts: readonly Pick<Account, "id" | "email" | "senderName" | "active">[],
  current: string,
  lang: Language,
  known = true,
): AccountOption[] {
  const options: AccountOption[] = accounts
    .filter((a) => a.active)
    .map((a) => ({ value: String(a.id), label: accountLabel(a) }));
  const id = accountIdOf(current);
  if (id !== null && !options.some((o) => o.value === current)) {
    const account = accounts.find((a) => a.id === id);
    const label = account
      ? translate(lang, "notifications.email.accountInactive", { label: accountLabel(account) })
      : known
        ? translate(lang, "notifications.email.accountMissing", { id })
        : translate(lang, "notifications.email.accountUnknown", { id });
    options.push({ value: current, label });
  }
  options.push({ value: SANDBOX, label: translate(lang, "notifications.email.sandbox") });
  return options;
}

/** The backend's answer is about the address: shown under its input. */
export function isEmailFieldError(err: Pick<ErrorPayload, "code" | "field">): boolean {
  return err.field === "notifyEmail" || (err.field == null && err.code === "validation.email");
}

// ---- Frequency ---------------------------------------------------------------------

/** How often an event is told: an interval between two, or a digest's window (0: none). */
export interface Frequency {
  minIntervalSecs: number;
  digestSecs: number;
}

/** The select's choices, in order. */
export const FREQUENCY_CHOICES = [
  "now",
  "every:300",
  "every:900",
  "every:3600",
  "digest:60",
  "digest:600",
  "digest:3600",
] as const;

/** The select's value for a row: "now", "every:<secs>" or "digest:<secs>" (a digest wins). */
export function frequencyValue(freq: Frequency): string {
  if (freq.digestSecs > 0) return `digest:${freq.digestSecs}`;
  if (freq.minIntervalSecs > 0) return `every:${freq.minIntervalSecs}`;
  return "now";
}

/** The frequency a select value stands for; null for anything else. */
export function parseFrequency(value: string): Frequency | null {
  if (value === "now") return { minIntervalSecs: 0, digestSecs: 0 };
  const m = /^(every|digest):([1-9]\d{0,9})$/.exec(value);
  if (!m) return null;
  const secs = Number(m[2]);
  if (!Number.isSafeInteger(secs)) return null;
  return m[1] === "every"
    ? { minIntervalSecs: secs, digestSecs: 0 }
    : { minIntervalSecs: 0, digestSecs: secs };
}

/**
 * The select's options: the choices, and the stored value among them when it is not one
 * (set from the CLI), so that nothing is lost; "now" first, then intervals, then
 * digests, each shortest first.
 */
export function frequencyOptions(current: string): string[] {
  const all: string[] = [...FREQUENCY_CHOICES];
  if (all.includes(current) || !parseFrequency(current)) return all;
  const rank = (value: string): [number, number] => {
    const f = parseFrequency(value) ?? { minIntervalSecs: 0, digestSecs: 0 };
    if (f.digestSecs > 0) return [2, f.digestSecs];
    if (f.minIntervalSecs > 0) return [1, f.minIntervalSecs];
    return [0, 0];
  };
  return [...all, current].sort((a, b) => {
    const [ka, sa] = rank(a);
    const [kb, sb] = rank(b);
    return ka - kb || sa - sb;
  });
}

type Unit = "Second" | "Minute" | "Hour";

/** A duration in its largest whole unit: 3600 → 1 hour, 90 → 90 seconds. */
function inUnit(secs: number): { n: number; unit: Unit } {
  if (secs % 3600 === 0) return { n: secs / 3600, unit: "Hour" };
  if (secs % 60 === 0) return { n: secs / 60, unit: "Minute" };
  return { n: secs, unit: "Second" };
}

/**
 * A select value in words: "Her seferinde", "En fazla 5 dakikada bir", "Saatlik özet";
 * anything else as it is.
 */
export function frequencyLabel(value: string, lang: Language): string {
  const freq = parseFrequency(value);
  if (!freq) return value;
  if (freq.digestSecs > 0) {
    const { n, unit } = inUnit(freq.digestSecs);
    if (unit === "Hour" && n === 1) return translate(lang, "notifications.frequency.digestHour");
    return translate(lang, `notifications.frequency.digest${unit}s`, { n });
  }
  if (freq.minIntervalSecs > 0) {
    const { n, unit } = inUnit(freq.minIntervalSecs);
    if (n === 1) return translate(lang, `notifications.frequency.every${unit}`);
    return translate(lang, `notifications.frequency.every${unit}s`, { n });
  }
  return translate(lang, "notifications.frequency.now");
}

// ---- Webhooks ----------------------------------------------------------------------

/**
 * How many endpoints get the event (one asking for "*" gets every message event); null
 * for an event never sent to webhooks.
 */
export function webhookCount(
  endpoints: readonly Pick<Endpoint, "events">[],
  event: NoticeEvent,
): number | null {
  // Only message.sent and message.failed go to webhooks.
  if (event !== "message.sent" && event !== "message.failed") {
    return null;
  }
  return endpoints.filter((e) => e.events.includes(ALL_EVENTS) || e.events.includes(event)).length;
}
