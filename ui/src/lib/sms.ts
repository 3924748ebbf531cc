// Pure helpers for SMS Gönder: the form's checks (the backend's codes, shown while
// typing), how many SMS parts a text takes, and the bulk send's recipients (a company's
// contacts and pasted numbers).

import type { ErrorPayload, SmsBulkInput, SmsInput } from "./bindings";
import { LIMITS, charCount, validatePhone, type FieldIssue } from "./validation";

/** The backend's limit: ten concatenated parts. */
export const SMS_TEXT_MAX = LIMITS.smsText;

export interface SmsForm {
  /** The provider set up under Entegrasyonlar (`twilio`, …); "" for Test kutusu. */
  provider: string;
  company: string;
  to: string;
  text: string;
}

export type SmsField = "to" | "text";
export type SmsIssues = Partial<Record<SmsField, FieldIssue>>;

export const emptySmsForm = (): SmsForm => ({ provider: "", company: "", to: "", text: "" });

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
export function smsProvider(form: SmsForm): string | null {
  return form.provider === "" ? null : form.provider;
}

export function validateSms(form: SmsForm): SmsIssues {
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
  };
}

// ---- bulk: one text to several numbers ----

/** One number to one person ("single", as `SmsForm.to`), or one text to several ("bulk"). */
export type SmsMode = "single" | "bulk";

/** One entry of the pasted numbers: its line (from 1) and what it says, trimmed. */
export interface PastedNumber {
  line: number;
  value: string;
}

/** A pasted entry that is not a phone number, and why. */
export interface BadNumber extends PastedNumber {
  issue: FieldIssue;
}

export interface CheckedNumbers {
  /** The good entries, as typed (trimmed), in their order. */
  numbers: string[];
  bad: BadNumber[];
}

/** The pasted numbers: one a line, or several on a line split by commas or semicolons. */
export function splitNumbers(text: string): PastedNumber[] {
  const found: PastedNumber[] = [];
  text.split(/\r\n|\r|\n/).forEach((row, i) => {
    for (const part of row.split(/[,;]/)) {
      const value = part.trim();
      if (value !== "") found.push({ line: i + 1, value });
    }
  });
  return found;
}

/** Splits the pasted numbers and checks each (`validatePhone`), keeping the line it is on. */
export function checkNumbers(text: string): CheckedNumbers {
  const numbers: string[] = [];
  const bad: BadNumber[] = [];
  for (const entry of splitNumbers(text)) {
    const issue = validatePhone(entry.value);
    if (issue) bad.push({ ...entry, issue });
    else numbers.push(entry.value);
  }
  return { numbers, bad };
}

/**
 * A number reduced to compare with others: digits only, `00…` and a Turkish `0…` (or a
 * bare ten-digit `5…` mobile) written with their country code. Close to the backend's
 * E.164, which is the final judge of what is the same number.
 */
export function phoneKey(value: string): string {
  const v = value.trim();
  const digits = v.replace(/\D/g, "");
  if (v.startsWith("+")) return `+${digits}`;
  if (digits.startsWith("00")) return `+${digits.slice(2)}`;
  if (digits.startsWith("0")) return `+90${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith("5")) return `+90${digits}`;
  return digits;
}

/**
 * Who a bulk send goes to: the chosen contacts' phones, then the pasted numbers; the same
 * number (in any of its spellings) once, where it first appears. Blank ones are skipped.
 */
export function bulkRecipients(
  contactPhones: readonly string[],
  pasted: readonly string[],
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of [...contactPhones, ...pasted]) {
    const value = raw.trim();
    if (value === "") continue;
    const key = phoneKey(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/**
 * The bulk form's checks: a text, at least one recipient (`validation.required`), and no
 * pasted line that is not a number (`badCount`: how many are wrong; the page shows each
 * by its line).
 */
export function validateSmsBulk(recipients: readonly string[], badCount: number, text: string): SmsIssues {
  const issues: SmsIssues = {};
  if (badCount > 0) issues.to = { code: "validation.phone" };
  else if (recipients.length === 0) issues.to = { code: "validation.required" };
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
    to: to.map((n) => n.trim()).filter((n) => n !== ""),
    text: sentText(form.text),
    idempotencyKey,
  };
}

/**
 * The number a backend `validation.phone` is about: its `detail`, or else the value its
 * message quotes (`"12" is not a phone number`); null when neither names one.
 */
export function badNumberOf(err: Pick<ErrorPayload, "code" | "message" | "detail">): string | null {
  if (err.code !== "validation.phone") return null;
  const detail = err.detail?.trim();
  if (detail) return detail;
  const quoted = /^"(.*)" is not a phone number/.exec(err.message);
  return quoted?.[1]?.trim() || null;
}

/** The line of the pasted numbers that holds `value` (trimmed), or null. */
export function lineOf(text: string, value: string): number | null {
  const wanted = value.trim();
  return splitNumbers(text).find((e) => e.value === wanted)?.line ?? null;
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
