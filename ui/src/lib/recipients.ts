// Pure helpers for a bulk send's recipients, the same on SMS Gönder and WhatsApp Gönder:
// the pasted numbers (split and checked by line), a company's contacts' phones, each
// number once, and which pasted line a backend error is about.

import type { ErrorPayload } from "./bindings";
import { validatePhone, type FieldIssue } from "./validation";

/** One number to one person ("single"), or one message to several ("bulk"). */
export type RecipientMode = "single" | "bulk";

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
 * The bulk recipients' check: no pasted line that is not a number (`badCount`: how many
 * are wrong; the page shows each by its line), then at least one recipient.
 */
export function validateRecipients(recipients: readonly string[], badCount: number): FieldIssue | null {
  if (badCount > 0) return { code: "validation.phone" };
  if (recipients.length === 0) return { code: "validation.required" };
  return null;
}

/** The numbers as a bulk input sends them (its `to`): trimmed, blanks dropped. */
export function sentNumbers(to: readonly string[]): string[] {
  return to.map((n) => n.trim()).filter((n) => n !== "");
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
