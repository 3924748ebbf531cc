// Entegrasyonlar without Svelte: which specs and OAuth cards a tab lists, whether a
// provider counts as connected, the form's values for a saved integration and what a save
// sends, the backend's field errors by field, and the SMS and WhatsApp senders a
// workspace has set up. The specs (PROVIDER_SPECS, read through ./providers) are the only
// provider knowledge here, Zoom's on Toplantı among them; the OAuth cards (Google and
// Microsoft sign-ins, and Google Meet, which comes with the calendar) are named below,
// with what else goes when one's sign-in is removed.

import type {
  Account,
  App,
  ErrorPayload,
  GrantRemoved,
  Integration,
  IntegrationInput,
  MessageChannel,
  Connection as OAuthConnection,
  Provider,
} from "./bindings";
import type { MessageKey, UiError } from "./i18n";
import type { PageId } from "./nav";
import { RATE_RANGE, SPECS, parseRate, type Spec, type Values } from "./providers";

/** The page's tabs, in order. */
export type TabId = "email" | "sms" | "whatsapp" | "google" | "meeting" | "other";

/**
 * The cards of what is signed in with OAuth rather than set up with keys: the e-mail
 * accounts of a provider (connected on E-posta Ayarları), Google Calendar, Google
 * E-Tablolar, Google Kişiler and Google Drive (each connected on its card, with a Google
 * sign-in of its own), Google Meet (made with the calendar's events) and Microsoft Teams
 * (connected on its card, with a Microsoft sign-in of its own).
 */
export type OAuthCard =
  | "mail-google"
  | "mail-microsoft"
  | "calendar"
  | "sheets"
  | "contacts"
  | "drive"
  | "meet"
  | "teams";

export interface IntegrationTab {
  id: TabId;
  label: MessageKey;
  /** The channels whose specs the tab lists; none for Google (its cards are all OAuth). */
  channels: readonly MessageChannel[];
  /** The OAuth cards the tab lists, after its providers' cards. */
  oauth: readonly OAuthCard[];
  /**
   * What will come, said while the tab lists no card; none when nothing more is planned
   * for the tab (Google and Toplantı: every card they were to have is there).
   */
  soon?: MessageKey;
  /** The tab lists cards, yet more will come: `soon` is said under them too. */
  alsoSoon?: boolean;
}

export const TABS: readonly IntegrationTab[] = [
  {
    id: "email",
    label: "integrations.tab.email",
    channels: ["email"],
    oauth: ["mail-google", "mail-microsoft"],
    soon: "integrations.soon.email",
  },
  { id: "sms", label: "integrations.tab.sms", channels: ["sms"], oauth: [], soon: "integrations.soon.sms" },
  {
    id: "whatsapp",
    label: "integrations.tab.whatsapp",
    channels: ["whatsapp"],
    oauth: [],
    soon: "integrations.soon.whatsapp",
  },
  {
    id: "google",
    label: "integrations.tab.google",
    channels: [],
    oauth: ["calendar", "sheets", "contacts", "drive"],
  },
  {
    id: "meeting",
    label: "integrations.tab.meeting",
    // Zoom (set up with its app's keys) first, then Google Meet (nothing to set up) and
    // Microsoft Teams (a Microsoft sign-in).
    channels: ["meeting"],
    oauth: ["meet", "teams"],
  },
  {
    id: "other",
    label: "integrations.tab.other",
    channels: ["chat", "webhook"],
    oauth: [],
    soon: "integrations.soon.other",
    alsoSoon: true,
  },
];

/** The e-mail tab's sending accounts are read again this often while it is shown. */
export const SENDING_REFRESH_MS = 10_000;
/** The e-mail tab's forward view is read again this often while it is shown. */
export const FORECAST_REFRESH_MS = 30_000;

/** The test box of each channel: always there, nothing to set up, not listed. */
export const SANDBOX = "sandbox";

/** The specs a tab lists, in PROVIDER_SPECS's order, without the test boxes. */
export function specsForTab(tab: IntegrationTab): Spec[] {
  return SPECS.filter((s) => tab.channels.includes(s.channel) && s.provider !== SANDBOX);
}

/** The tab lists no card at all: it says only what will come. */
export function onlySoon(tab: IntegrationTab): boolean {
  return tab.oauth.length === 0 && specsForTab(tab).length === 0;
}

/**
 * Providers set up on a page of their own rather than here (SMTP accounts live under
 * E-posta Ayarları); their card links there instead of showing a form.
 */
export function managedOn(spec: Spec): PageId | null {
  return spec.channel === "email" && spec.provider === "smtp" ? "email-settings" : null;
}

/**
 * Saving the integration makes a sending account on E-posta Ayarları (Resend: its address
 * sends through the API), and removing it removes that account too.
 */
export function hasSendingAccount(spec: Pick<Spec, "channel" | "provider">): boolean {
  return spec.channel === "email" && spec.provider === "resend";
}

/** The inputs' id prefix: `int-sms-twilio` (inputs `int-sms-twilio-auth-token`, …). */
export function idPrefix(spec: Spec): string {
  return `int-${spec.channel}-${spec.provider}`;
}

export function findIntegration(
  items: readonly Integration[],
  channel: MessageChannel,
  provider: string,
): Integration | null {
  return items.find((i) => i.channel === channel && i.provider === provider) ?? null;
}

export type Connection = "connected" | "not_connected" | "error";

/**
 * Connected: saved, active, and every secret the spec requires has a stored value (when
 * it requires none, as Slack's token-or-webhook, at least one of them); error: its last
 * send or test failed in a way that is the account's (sign-in, network).
 */
export function connectionOf(spec: Spec, integration: Integration | null): Connection {
  if (!integration || !integration.active) return "not_connected";
  if (integration.lastError) return "error";
  const secrets = spec.fields.filter((f) => f.kind === "secret");
  const required = secrets.filter((f) => f.required !== "never").map((f) => f.key);
  const stored = (k: string) => integration.secretsSet.includes(k);
  const ok =
    required.length > 0
      ? required.every(stored)
      : secrets.length === 0 || secrets.some((f) => stored(f.key));
  return ok ? "connected" : "not_connected";
}

/** The e-mail provider a `mail-…` card lists the accounts of; null for the other cards. */
export function mailProviderOf(card: OAuthCard): Provider | null {
  return card === "mail-google" ? "google" : card === "mail-microsoft" ? "microsoft" : null;
}

/** The workspace's accounts signed in with `provider`, in the list's order. */
export function oauthAccounts(items: readonly Account[], provider: Provider): Account[] {
  return items.filter((a) => a.oauth?.provider === provider);
}

/**
 * The accounts set up with a server and password (the SMTP card's): not those signed in
 * with OAuth, nor those that send through an integration (Resend's card is their own).
 */
export function smtpAccounts(items: readonly Account[]): Account[] {
  return items.filter((a) => a.oauth === null && a.integrationId == null);
}

/** An OAuth connection's state: `error` when the provider withdrew the grant. */
export function oauthStateOf(status: OAuthConnection["status"]): Connection {
  return status === "error" ? "error" : "connected";
}

/**
 * A provider's e-mail card: in error when any of its accounts must be connected again,
 * else connected when it has an account, else not connected.
 */
export function oauthMailConnection(accounts: readonly Account[]): Connection {
  const states = accounts.flatMap((a) => (a.oauth ? [oauthStateOf(a.oauth.status)] : []));
  if (states.includes("error")) return "error";
  return states.length > 0 ? "connected" : "not_connected";
}

/**
 * When a card's trouble began, as the card says it: short date and time in the app's
 * language; the text itself when it is not a time.
 */
export function troubleTime(at: string, lang: "tr" | "en"): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return new Intl.DateTimeFormat(lang === "tr" ? "tr-TR" : "en-GB", {
    dateStyle: "short",
    timeStyle: "short",
  }).format(date);
}

/**
 * A card with a sign-in of its own, by its account: the calendar's (and Google Meet's,
 * whose links come with its events), Google E-Tablolar', Google Kişiler', Google
 * Drive's, Microsoft Teams'.
 */
export function grantConnection(status: OAuthConnection | null): Connection {
  return status === null ? "not_connected" : oauthStateOf(status.status);
}

/** A card and the account its sign-in uses (null: none), as the page knows them. */
export interface GrantUse {
  card: OAuthCard;
  /** The card's name, as shown. */
  name: string;
  status: OAuthConnection | null;
}

/** What else goes with a connection: other cards' names, sending accounts' addresses. */
export interface SharedGrant {
  cards: string[];
  accounts: string[];
}

/**
 * What else goes when `card`'s connection is removed ("Bağlantıyı kaldır"): the other
 * cards signed in with the same connection — Google keeps one per address, whose token
 * covers every scope granted, so the calendar, E-Tablolar, Kişiler and Drive signed in
 * with one account share it, and Google Meet comes with the calendar — and the sending
 * accounts that sign in with it (the backend removes those: they could not send any
 * more). Names and addresses, in the lists' order.
 */
export function sharedGrant(
  card: OAuthCard,
  connectionId: number,
  uses: readonly GrantUse[],
  accounts: readonly Account[],
): SharedGrant {
  return {
    cards: uses.filter((u) => u.card !== card && u.status?.id === connectionId).map((u) => u.name),
    accounts: accounts.filter((a) => a.oauth?.connectionId === connectionId).map((a) => a.email),
  };
}

/** The line saying how many sending accounts went with a removed connection; none for 0. */
export function accountsRemovedKey(removed: GrantRemoved): MessageKey | null {
  const n = removed.accountsRemoved;
  return n === 0
    ? null
    : n === 1
      ? "integrations.disconnect.accountsOne"
      : "integrations.disconnect.accountsOther";
}

/** The provider's OAuth app has no client ID: nobody can sign in with it yet. */
export function appUnset(apps: readonly App[], provider: Provider): boolean {
  return apps.some((a) => a.provider === provider && a.clientId.trim() === "");
}

/**
 * A line a provider's card adds under its summary: how its settings go together, where
 * the fields alone cannot say it (Slack: a bot token and a channel, or a webhook).
 */
export function noteOf(spec: Spec): MessageKey | null {
  return spec.channel === "chat" && spec.provider === "slack" ? "integrations.note.slack" : null;
}

/**
 * The stored settings leave the connection test nothing to check without sending a
 * message: Slack through an incoming webhook (no bot token and channel), whose only
 * call posts. The backend's test then passes without calling anyone.
 */
export function testChecksNothing(spec: Spec, integration: Integration | null): boolean {
  if (spec.channel !== "chat" || spec.provider !== "slack" || !integration) return false;
  const bot =
    integration.secretsSet.includes("botToken") && (integration.settings.channel ?? "").trim() !== "";
  return !bot && integration.secretsSet.includes("webhookUrl");
}

/** The form's values: the saved plain fields; secrets always empty (never shown again). */
export function formValues(spec: Spec, integration: Integration | null): Values {
  return Object.fromEntries(
    spec.fields.map((f) => [
      f.key,
      f.kind === "secret" ? "" : (integration?.settings[f.key] ?? ""),
    ]),
  );
}

/** The pace's key in IntegrationInput and in the backend's errors. */
export const RATE_FIELD = "ratePerSecond";

/** Ulak paces this provider's messages (SMTP and the test boxes are not paced). */
export function isPaced(spec: Spec): boolean {
  return spec.ratePerSecond !== null;
}

/** The pace a saved integration sends at: its own, else the spec's; null when unpaced. */
export function paceOf(spec: Spec, integration: Integration | null): number | null {
  if (integration === null || spec.ratePerSecond === null) return null;
  return integration.ratePerSecond ?? spec.ratePerSecond;
}

/** The pace input's text when the form opens: the integration's own, else the spec's. */
export function formRate(spec: Spec, integration: Integration | null): string {
  if (spec.ratePerSecond === null) return "";
  return String(integration?.ratePerSecond ?? spec.ratePerSecond);
}

/** The pace input: as typed, and as it was filled (formRate) when the form opened. */
export interface RateText {
  typed: string;
  filled: string;
}

/**
 * What a save sends. Plain fields trimmed, all of them (empty clears a field); secrets as
 * typed, and only when typed (left out, the stored one stays). The base URL trimmed: ""
 * puts the spec's default back. The pace as a number when it was changed; null (keep what
 * is stored, for a new integration the spec's default) when it is empty, unchanged or
 * the spec is not paced.
 */
export function toIntegrationInput(
  spec: Spec,
  values: Values,
  baseUrl: string,
  rate: RateText,
): IntegrationInput {
  const out: Record<string, string> = {};
  for (const f of spec.fields) {
    const raw = values[f.key] ?? "";
    if (f.kind === "secret") {
      if (raw !== "") out[f.key] = raw;
    } else {
      out[f.key] = raw.trim();
    }
  }
  const typed = isPaced(spec) ? parseRate(rate.typed) : null;
  const ratePerSecond = typed !== null && typed !== parseRate(rate.filled) ? typed : null;
  return { values: out, baseUrl: baseUrl.trim(), ratePerSecond };
}

/** The base URL's key in the backend's errors (validate::url("baseUrl", …)). */
export const BASE_URL_FIELD = "baseUrl";

/** The keys the form can show an error beside: the spec's fields, base URL and pace. */
export function formKeys(spec: Spec): string[] {
  return [
    ...spec.fields.map((f) => f.key),
    ...(spec.baseUrl !== null ? [BASE_URL_FIELD] : []),
    ...(isPaced(spec) ? [RATE_FIELD] : []),
  ];
}

/** The backend's error about the pace, with the range its hint names (`{min}`–`{max}`). */
export function rateError(err: UiError): UiError {
  return err.code === "validation.range" ? { ...err, params: { ...RATE_RANGE, ...err.params } } : err;
}

/**
 * The backend's error by the form's fields it names (`fields`, else `field`); empty when
 * it names none of them. Missing settings become each field's "required".
 */
export function fieldErrors(spec: Spec, err: ErrorPayload): Record<string, ErrorPayload> {
  const keys = formKeys(spec);
  const named = err.fields && err.fields.length > 0 ? err.fields : err.field ? [err.field] : [];
  const incomplete = err.code === "integration.incomplete";
  const out: Record<string, ErrorPayload> = {};
  for (const field of named.filter((f) => keys.includes(f))) {
    out[field] = incomplete ? { ...err, code: "validation.required", field } : { ...err, field };
  }
  return out;
}

export interface Sender {
  /** The provider id, as `sendSms` / `sendWhatsapp` take it. */
  provider: string;
  spec: Spec;
}

/** An SMS provider a message can go through. */
export type SmsSender = Sender;

/**
 * The providers a message on `channel` can go through: saved and active, with a spec,
 * in the list's order (the test box is offered by the composers themselves).
 */
export function senders(items: readonly Integration[], channel: MessageChannel): Sender[] {
  const out: Sender[] = [];
  for (const i of items) {
    if (i.channel !== channel || !i.active || i.provider === SANDBOX) continue;
    const spec = SPECS.find((s) => s.channel === channel && s.provider === i.provider);
    if (spec) out.push({ provider: i.provider, spec });
  }
  return out;
}

/** The SMS providers a message can go through: saved and active, in the list's order. */
export function smsSenders(items: readonly Integration[]): SmsSender[] {
  return senders(items, "sms");
}

/** The WhatsApp providers (Meta's Cloud API, Twilio) a message can go through. */
export function whatsappSenders(items: readonly Integration[]): Sender[] {
  return senders(items, "whatsapp");
}
