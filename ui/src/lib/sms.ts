// Pure helpers for SMS Gönder: the form's checks (the backend's codes, shown while
// typing), how many SMS parts a text takes, and what a send (to one number or several)
// takes. The bulk send's recipients are ./recipients' (shared with WhatsApp Gönder).

import type { SmsBulkInput, SmsInput } from "./bindings";
import { toPurpose, type SmsPurpose } from "./iys";
import { sentNumbers, validateRecipients } from "./recipients";
import { LIMITS, charCount, validatePhone, type FieldIssue } from "./validation";

/** The backend's limit: ten concatenated parts. */
export const SMS_TEXT_MAX = LIMITS.smsText;

export interface SmsForm {
  /** The provider set up under Entegrasyonlar (`twilio`, …); "" for Test kutusu. */
  provider: string;
  company: string;
  to: string;
  text: string;
  /** Commercial or informational, for İYS; "" says nothing (the integration decides). */
  purpose: SmsPurpose;
}

export type SmsField = "to" | "text";
export type SmsIssues = Partial<Record<SmsField, FieldIssue>>;

export const emptySmsForm = (): SmsForm => ({
  provider: "",
  company: "",
  to: "",
  text: "",
  purpose: "",
});

// Control characters other than a line break (the backend keeps \n, refuses the rest).
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

export function validateSmsText(value: string): FieldIssue | null {
  const v = value.replace(/\r\n/g, "\n");
  if (CONTROL_BUT_NEWLINE.test(v)) return { code: "validation.control_chars" };
  const trimmed = v.trim();
  if (trimmed === "") return { code: "validation.required" };
  if (charCount(trimmed) > SMS_TEXT_MAX) {
    return { code: "validation.too_long", params: { max: SMS_TEXT_MAX } };
  }
  return null;
}

/** The provider `sendSms` takes: null for Test kutusu. */
export function smsProvider(form: Pick<SmsForm, "provider">): string | null {
  return form.provider === "" ? null : form.provider;
}

export function validateSms(form: Omit<SmsForm, "purpose">): SmsIssues {
  const issues: SmsIssues = {};
  const to = form.to.trim() === "" ? { code: "validation.required" as const } : validatePhone(form.to);
  if (to) issues.to = to;
  const text = validateSmsText(form.text);
  if (text) issues.text = text;
  return issues;
}

/** The text as sent: Windows line breaks made plain, trimmed. */
const sentText = (text: string): string => text.replace(/\r\n/g, "\n").trim();

/** What the form sends: the provider goes beside the input (`sendSms(input, provider)`). */
export function toSmsInput(form: SmsForm, idempotencyKey: string): SmsInput {
  return {
    // SMS accounts are integrations now, chosen by provider; this stays null.
    accountId: null,
    companyId: /^\d+$/.test(form.company) ? Number(form.company) : null,
    to: form.to.trim(),
    text: sentText(form.text),
    idempotencyKey,
    purpose: toPurpose(form.purpose),
  };
}

// ---- bulk: one text to several numbers (the recipients: ./recipients) ----

/**
 * The bulk form's checks: a text, at least one recipient (`validation.required`), and no
 * pasted line that is not a number (`badCount`: how many are wrong; the page shows each
 * by its line).
 */
export function validateSmsBulk(recipients: readonly string[], badCount: number, text: string): SmsIssues {
  const issues: SmsIssues = {};
  const to = validateRecipients(recipients, badCount);
  if (to) issues.to = to;
  const textIssue = validateSmsText(text);
  if (textIssue) issues.text = textIssue;
  return issues;
}

/** What a bulk send sends (`sendSmsBulk(input, provider)`): the company, numbers, text. */
export function toSmsBulkInput(
  form: SmsForm,
  to: readonly string[],
  idempotencyKey: string,
): SmsBulkInput {
  return {
    companyId: /^\d+$/.test(form.company) ? Number(form.company) : null,
    to: sentNumbers(to),
    text: sentText(form.text),
    idempotencyKey,
    purpose: toPurpose(form.purpose),
  };
}

// GSM 03.38's basic set; any other character (ş, ğ, ı, emoji…) makes the SMS UCS-2.
const GSM7 = new Set(
  Array.from(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
  ),
);
const GSM7_EXT = new Set(Array.from("^{}\\[~]|€"));

/** How many SMS the text is sent as, and whether it fits GSM-7 (else UCS-2, 70 a part). */
export function smsParts(text: string): { parts: number; unicode: boolean; units: number } {
  const chars = Array.from(text);
  const unicode = chars.some((c) => !GSM7.has(c) && !GSM7_EXT.has(c));
  if (unicode) {
    // UTF-16 code units: an emoji takes two.
    const units = text.length;
    return { parts: units === 0 ? 0 : units <= 70 ? 1 : Math.ceil(units / 67), unicode, units };
  }
  const units = chars.reduce((n, c) => n + (GSM7_EXT.has(c) ? 2 : 1), 0);
  return { parts: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153), unicode, units };
}
