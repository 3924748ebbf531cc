// Gelen bildirimler (webhooks the providers send to Ulak) without Svelte: the receiver's
// form (the port on 127.0.0.1 and the tunnel's public address) ⇄ InboundSettings, the
// checks made while typing (as the backend's on save), the status line's state, the
// backend's errors by field, and which integrations have an address to paste into their
// provider's console (Meta's WhatsApp Cloud API, Vonage SMS).

import type { ErrorPayload, InboundAddress, InboundSettings, InboundStatus, MessageChannel } from "./bindings";
import type { UiError } from "./i18n";
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
