// Gelen bildirimler (webhooks the providers send to Ulak) without Svelte: the receiver's
// form (the port on 127.0.0.1 and the tunnel's public address) ⇄ InboundSettings, the
// checks made while typing (as the backend's on save), the status line's state, the
// backend's errors by field, and which integrations have an address to paste into their
// provider's console (Meta's WhatsApp Cloud API, Vonage SMS, Twilio's SMS and WhatsApp),
// with the words their cards show about it.

import type {
  ErrorPayload,
  InboundAddress,
  InboundSettings,
  InboundStatus,
  Integration,
  MessageChannel,
} from "./bindings";
import type { MessageKey, UiError } from "./i18n";
import { validateUrl } from "./providers";
import { LIMITS, hasControlChars, type FieldIssue } from "./validation";

/** The ports the receiver may listen on: below 1024 needs an administrator. */
export const INBOUND_PORT_RANGE = { min: 1024, max: 65535 } as const;

/** The form's fields, by the backend's names (its errors' `field`). */
export const INBOUND_FIELDS = ["port", "publicUrl"] as const;
export type InboundField = (typeof INBOUND_FIELDS)[number];

export function isInboundField(field: string | null | undefined): field is InboundField {
  return (INBOUND_FIELDS as readonly string[]).includes(field ?? "");
}

/** The form as typed: both texts, empty when not set. */
export interface InboundForm {
  port: string;
  publicUrl: string;
}

export const emptyInboundForm = (): InboundForm => ({ port: "", publicUrl: "" });

/** The form for saved settings. */
export function inboundForm(settings: InboundSettings | null | undefined): InboundForm {
  return {
    port: settings?.port == null ? "" : String(settings.port),
    publicUrl: settings?.publicUrl ?? "",
  };
}

/** The port as a number when the text is a whole number in INBOUND_PORT_RANGE, else null. */
export function parseInboundPort(raw: string): number | null {
  const v = raw.trim();
  if (!/^\d{1,6}$/.test(v)) return null;
  const n = Number(v);
  return n >= INBOUND_PORT_RANGE.min && n <= INBOUND_PORT_RANGE.max ? n : null;
}

/**
 * The port input's check: empty is fine (the receiver is off); anything else must be a
 * whole number from 1024 to 65535. `badInput` is the number input's `validity.badInput`
 * (the browser then reports "" for what was typed).
 */
export function validateInboundPort(raw: string, badInput = false): FieldIssue | null {
  if (!badInput && raw.trim() === "") return null;
  if (!badInput && hasControlChars(raw)) return { code: "validation.control_chars" };
  return !badInput && parseInboundPort(raw) !== null
    ? null
    : { code: "validation.range", params: { ...INBOUND_PORT_RANGE } };
}

/** The tunnel's address: empty, `https://…`, or `http://` to localhost / 127.0.0.1 only. */
export function validatePublicUrl(raw: string): FieldIssue | null {
  return validateUrl(raw, LIMITS.url);
}

export type InboundIssues = Partial<Record<InboundField, FieldIssue>>;

export function validateInbound(form: InboundForm, portBadInput = false): InboundIssues {
  const issues: InboundIssues = {};
  const port = validateInboundPort(form.port, portBadInput);
  if (port) issues.port = port;
  const url = validatePublicUrl(form.publicUrl);
  if (url) issues.publicUrl = url;
  return issues;
}

/** What a save sends: the port (null: off) and the address trimmed (null when empty). */
export function toInboundSettings(form: InboundForm): InboundSettings {
  const url = form.publicUrl.trim();
  return { port: parseInboundPort(form.port), publicUrl: url === "" ? null : url };
}

/** The form says what is saved already (nothing to save). */
export function sameSettings(form: InboundForm, saved: InboundSettings | null | undefined): boolean {
  const a = toInboundSettings(form);
  return a.port === (saved?.port ?? null) && a.publicUrl === (saved?.publicUrl ?? null);
}

/** The backend's error with the range its hint names (`{min}`–`{max}`) when about the port. */
export function inboundError(err: UiError): UiError {
  return err.code === "validation.range"
    ? { ...err, params: { ...INBOUND_PORT_RANGE, ...err.params } }
    : err;
}

/** The backend's error by the form's field it names; empty when it names neither. */
export function inboundFieldErrors(err: ErrorPayload): Partial<Record<InboundField, ErrorPayload>> {
  const named = err.fields && err.fields.length > 0 ? err.fields : err.field ? [err.field] : [];
  const out: Partial<Record<InboundField, ErrorPayload>> = {};
  for (const field of named) if (isInboundField(field)) out[field] = { ...err, field };
  return out;
}

/**
 * The status line: listening on a port; off (no port saved); a problem with the saved
 * port (its error, and the port still listened on, if any); or a port saved that is
 * not listened on, with no reason given.
 */
export type InboundState =
  | { kind: "listening"; port: number }
  | { kind: "off" }
  | { kind: "problem"; problem: ErrorPayload; listening: number | null }
  | { kind: "stopped"; port: number };

export function inboundState(status: InboundStatus): InboundState {
  if (status.problem) return { kind: "problem", problem: status.problem, listening: status.listening };
  if (status.listening !== null) return { kind: "listening", port: status.listening };
  if (status.settings.port === null) return { kind: "off" };
  return { kind: "stopped", port: status.settings.port };
}

// ---- the integrations' own addresses --------------------------------------------------

/** The providers whose webhooks Ulak receives, by channel. */
export const INBOUND_PROVIDERS: readonly { channel: MessageChannel; provider: string }[] = [
  { channel: "whatsapp", provider: "meta" },
  { channel: "sms", provider: "vonage" },
  { channel: "sms", provider: "twilio" },
  { channel: "whatsapp", provider: "twilio" },
];

/** Ulak receives this provider's webhooks: its card shows the address to paste. */
export function receivesInbound(channel: MessageChannel, provider: string): boolean {
  return INBOUND_PROVIDERS.some((p) => p.channel === channel && p.provider === provider);
}

/**
 * The address to paste into the provider's console: the public one when the tunnel's
 * address is saved; else the path behind a stand-in for it (`complete` false).
 */
export function shownAddress(
  address: InboundAddress,
  placeholder: string,
): { text: string; complete: boolean } {
  return address.publicUrl
    ? { text: address.publicUrl, complete: true }
    : { text: `${placeholder}${address.path}`, complete: false };
}

/** What the copy button puts on the clipboard: the whole address, else only its path. */
export function copiedAddress(address: InboundAddress): string {
  return address.publicUrl ?? address.path;
}

/**
 * What an integration's address block puts after `inbound-<name>-` in its ids: the
 * provider alone when only one of its integrations gets an address (`meta`, `vonage`),
 * else the provider and the channel (`twilio-sms`, `twilio-whatsapp`), as both Twilio
 * cards are in the page at once (the hidden tab's panel stays in it).
 */
export function inboundIdSuffix(channel: MessageChannel, provider: string): string {
  const channels = INBOUND_PROVIDERS.filter((p) => p.provider === provider).length;
  return channels > 1 ? `${provider}-${channel}` : provider;
}

/** The provider's own words on its card: its console's name and where to paste the address. */
export interface InboundWords {
  /** The console's name, for `{console}` in the new address's question and message. */
  console: MessageKey;
  /** Where in that console the address goes. */
  steps: MessageKey;
  /** Meta asks for the address's verify token too (Twilio and Vonage have none). */
  verifyToken: boolean;
}

export function inboundWords(channel: MessageChannel, provider: string): InboundWords {
  if (provider === "meta") {
    return { console: "inbound.address.consoleMeta", steps: "inbound.address.stepsMeta", verifyToken: true };
  }
  if (provider === "twilio") {
    return {
      console: "inbound.address.consoleTwilio",
      steps: channel === "whatsapp" ? "inbound.address.stepsTwilioWhatsapp" : "inbound.address.stepsTwilioSms",
      verifyToken: false,
    };
  }
  return { console: "inbound.address.consoleVonage", steps: "inbound.address.stepsVonage", verifyToken: false };
}

/**
 * Why Ulak cannot check Twilio's signature on what comes to this integration's address
 * (only the address's secret token protects it then), or null when it can (or the
 * provider is not Twilio, or the receiver's settings are not read yet):
 * - `apiKey`: the integration signs in with an API key (its `apiKeySid` is set), and
 *   Twilio signs with the account's auth token, which Ulak does not hold;
 * - `noTunnel`: the tunnel's public address is not saved, and Twilio signs over the
 *   whole address it was given.
 */
export type TwilioSignatureGap = "apiKey" | "noTunnel";

export function twilioSignatureGap(
  integration: Pick<Integration, "provider" | "settings">,
  status: InboundStatus | null | undefined,
): TwilioSignatureGap | null {
  if (integration.provider !== "twilio") return null;
  if ((integration.settings.apiKeySid ?? "").trim() !== "") return "apiKey";
  if (status && !status.settings.publicUrl) return "noTunnel";
  return null;
}

/** The note on the card for each gap. */
export const SIGNATURE_NOTES: Readonly<Record<TwilioSignatureGap, MessageKey>> = {
  apiKey: "inbound.address.signatureApiKey",
  noTunnel: "inbound.address.signatureNoTunnel",
};
