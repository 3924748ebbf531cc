// Pure helpers for Gönderim Geçmişi: local times, state labels and checks, the filter
// sent to listHistory, and the daily counts table.

import {
  FAILURE_CODES,
  type DailyCount,
  type Entry,
  type ErrorPayload,
  type FailureCode,
  type Filter,
  type Language,
  type MessageChannel,
  type State,
} from "./bindings";
import type { MessageKey } from "./i18n";
import { SPECS } from "./providers";

/**
 * Who sent it, for the account column: an e-mail's SMTP account, or the provider an SMS,
 * WhatsApp or chat message went through (its spec's name: "Twilio", "Slack",
 * "Telegram"); null when neither is known.
 */
export function senderLabel(entry: Entry, lang: Language): string | null {
  if (entry.accountEmail) return entry.accountEmail;
  if (entry.channel === "email") return null;
  const spec = SPECS.find((s) => s.channel === entry.channel && s.provider === entry.provider);
  return spec ? spec.name[lang] : entry.provider;
}

export const STATES: readonly State[] = ["queued", "sending", "sent", "failed", "retry"];

/** How many days the daily counts table covers. */
export const DAILY_DAYS = 14;

/** While a row is in one of these states the page polls for news. */
export const POLL_MS = 3000;

/** The backend's default page of history; reaching it means older rows are cut off. */
export const HISTORY_LIMIT = 500;

export function isState(value: string): value is State {
  return (STATES as readonly string[]).includes(value);
}

export function stateKey(state: State): MessageKey {
  return `history.states.${state}`;
}

/** Not finished yet: queued, being sent, or waiting to retry. */
export function isPending(state: State): boolean {
  return state === "queued" || state === "sending" || state === "retry";
}

export function anyPending(
  entries: readonly (Pick<Entry, "state"> & Partial<Pick<Entry, "scheduledAt">>)[],
  now: Date = new Date(),
): boolean {
  // A scheduled message waiting for a later time is not on its way: no need to poll
  // for it (the page reads again on the worker's events anyway).
  const waitingForItsTime = (e: Partial<Pick<Entry, "scheduledAt">>): boolean =>
    !!e.scheduledAt && new Date(e.scheduledAt).getTime() > now.getTime() + 60_000;
  return entries.some((e) => isPending(e.state) && !(e.state === "queued" && waitingForItsTime(e)));
}

/** Only a failed message or one waiting to retry can be sent again. */
export function canRetry(state: State): boolean {
  return state === "failed" || state === "retry";
}

/**
 * Only a message not yet on its way (queued, or waiting to retry) can be cancelled: it
 * then stays in the history as failed, its reason "cancelled".
 */
export function canCancel(state: State): boolean {
  return state === "queued" || state === "retry";
}

/** A message that is not going out (queued, waiting to retry, or failed) can be deleted. */
export function canDelete(state: State): boolean {
  return state === "queued" || state === "retry" || state === "failed";
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** An RFC 3339 time as local "dd.mm.yyyy HH:MM"; "" when missing or unreadable. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const day = `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `YYYY-MM-DD` day as "dd.mm.yyyy"; anything else as it is. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : day;
}

/** At most `max` characters, with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, Math.max(max - 1, 1)).join("")}…`;
}

/** The filter form as typed: selects' and date inputs' values. */
export interface FilterForm {
  company: string;
  channel: string;
  state: string;
  since: string;
  until: string;
}

export const emptyFilter = (): FilterForm => ({ company: "", channel: "", state: "", since: "", until: "" });

/** The channels the history can be narrowed to (the ones Ulak sends today). */
export const CHANNELS: readonly MessageChannel[] = ["email", "sms", "whatsapp", "chat"];

export function isChannel(value: string): value is MessageChannel {
  return (CHANNELS as readonly string[]).includes(value);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filter as the backend takes it: the list's (at most `limit` rows), or an export's
 * (`limit` null: the backend's own cap for exports).
 */
export function toFilter(form: FilterForm, limit: number | null = HISTORY_LIMIT): Filter {
  return {
    companyId: /^\d+$/.test(form.company) ? Number(form.company) : null,
    channel: isChannel(form.channel) ? form.channel : null,
    state: isState(form.state) ? form.state : null,
    since: DAY.test(form.since) ? form.since : null,
    until: DAY.test(form.until) ? form.until : null,
    limit,
  };
}

export function isFiltered(form: FilterForm): boolean {
  return form.company !== "" || form.channel !== "" || form.state !== "" || form.since !== "" || form.until !== "";
}

/** Newest day first; on one day, the sandbox after the accounts, accounts by address. */
export function sortDaily(rows: readonly DailyCount[]): DailyCount[] {
  return [...rows].sort((a, b) => {
    if (a.day !== b.day) return a.day < b.day ? 1 : -1;
    if ((a.accountId === null) !== (b.accountId === null)) return a.accountId === null ? 1 : -1;
    return (a.accountEmail ?? "").localeCompare(b.accountEmail ?? "");
  });
}

/** The line under one of the open message's buttons (retry, cancel): done, or what went wrong. */
export type ActionStatus = { kind: "saved" } | { kind: "error"; error: ErrorPayload };

/** The line under the open message's retry button. */
export type RetryStatus = ActionStatus;

/** True when a row changed in a way the open detail should be read again for. */
export function entryChanged(before: Entry | undefined, after: Entry | undefined): boolean {
  if (!before || !after) return before !== after;
  return (
    before.state !== after.state ||
    before.attempts !== after.attempts ||
    before.updatedAt !== after.updatedAt
  );
}

/** Every failure code the backend records (generated from Rust's `FailureCode`). */
export const WHYS: readonly FailureCode[] = FAILURE_CODES;

/** The words for a failure: what happened, and what to do about it. */
export function whyKeys(code: FailureCode): { what: MessageKey; fix: MessageKey } {
  return { what: `history.why.${code}.what`, fix: `history.why.${code}.fix` };
}

/**
 * A non-e-mail payload's text for the rendered view: an SMS's or chat message's `text`,
 * a WhatsApp message's body or template, else the raw JSON.
 */
export function payloadText(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && "text" in parsed && typeof parsed.text === "string") {
      return parsed.text;
    }
    // WhatsApp: a text's body, or a template with its parameters in order.
    const shown = whatsappText(parsed);
    if (shown !== null) return shown;
  } catch {
    // Not JSON: shown as it is.
  }
  return raw;
}

/**
 * A WhatsApp payload (`{to, type: "text", body}` or `{to, type: "template", name,
 * language, params}`) as the detail shows it; null when it is not one.
 */
function whatsappText(payload: unknown): string | null {
  if (!payload || typeof payload !== "object" || !("type" in payload)) return null;
  const c = payload as Record<string, unknown>;
  if (c.type === "text" && typeof c.body === "string") return c.body;
  if (c.type === "template" && typeof c.name === "string" && typeof c.language === "string") {
    const params = Array.isArray(c.params) ? c.params.map(String) : [];
    return [`${c.name} (${c.language})`, ...params.map((p, i) => `{{${i + 1}}} ${p}`)].join("\n");
  }
  return null;
}
