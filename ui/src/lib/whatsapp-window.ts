// WhatsApp's 24-hour customer-service window on WhatsApp Gönder, without Svelte: which
// number to ask about (Meta's Cloud API and Twilio, whose webhooks tell Ulak when
// customers write; one recipient only), and what the answer says in words
// (`whatsapp.window*`), with when the window closes or the customer last wrote in local
// time.

import type { Language, WhatsappWindow } from "./bindings";
import { translate } from "./i18n";
import { formatMoment } from "./sending";
import { validatePhone } from "./validation";
import type { WhatsappMode } from "./whatsapp";

/** The window is asked about this long after the last change of the number or sender. */
export const WINDOW_CHECK_DELAY_MS = 300;

/** The providers that tell Ulak when customers write (their webhooks reach Ulak). */
export const WINDOW_PROVIDERS: readonly string[] = ["meta", "twilio"];

export interface WindowTarget {
  provider: string;
  to: string;
}

/**
 * What to ask `whatsappWindow` about: the chosen provider when it is one that tells Ulak
 * when customers write, and the one number (the single field's, or the bulk list's when
 * it holds exactly one); null otherwise, or when the number does not look like one.
 */
export function windowTarget(
  provider: string,
  bulk: boolean,
  single: string,
  recipients: readonly string[],
): WindowTarget | null {
  if (!WINDOW_PROVIDERS.includes(provider)) return null;
  const to = bulk ? (recipients.length === 1 ? (recipients[0] ?? "") : "") : single;
  const number = to.trim();
  if (number === "" || validatePhone(number) !== null) return null;
  return { provider, to: number };
}

export type WindowKind = "open" | "closed" | "never";

export interface WindowView {
  kind: WindowKind;
  open: boolean;
  text: string;
  /** Free text is chosen and the window is closed: it will not go. */
  warn: boolean;
}

/** The answer in words; `now` says which day is today (the time alone then). */
export function windowView(
  lang: Language,
  window: WhatsappWindow,
  mode: WhatsappMode,
  now: Date,
  timeZone?: string,
): WindowView {
  if (window.open) {
    const until = window.openUntil ? formatMoment(lang, window.openUntil, now, timeZone) : "";
    return {
      kind: "open",
      open: true,
      text: until
        ? translate(lang, "whatsapp.windowOpen", { time: until })
        : translate(lang, "whatsapp.windowOpenNow"),
      warn: false,
    };
  }
  const warn = mode === "text";
  if (window.lastReceivedAt) {
    const at = formatMoment(lang, window.lastReceivedAt, now, timeZone);
    return { kind: "closed", open: false, text: translate(lang, "whatsapp.windowClosed", { date: at }), warn };
  }
  return { kind: "never", open: false, text: translate(lang, "whatsapp.windowNever"), warn };
}

/**
 * When the open window closes, in ms from `now` (to ask again then); null when it is not
 * open, the time is unknown, or it is further than a day away.
 */
export function msUntilClose(window: WhatsappWindow, now: Date): number | null {
  if (!window.open || !window.openUntil) return null;
  const at = new Date(window.openUntil).getTime();
  if (Number.isNaN(at)) return null;
  const ms = at - now.getTime();
  return ms > 0 && ms <= 24 * 60 * 60 * 1000 ? ms : null;
}
