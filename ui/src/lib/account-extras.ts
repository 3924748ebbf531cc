// An account's extras on E-posta Ayarları: the Reply-To address and the signature the
// composer puts under every message sent from it. The checks mirror ulak-channels'
// email::accounts::set_extras, so errors show while typing; the backend is the judge.

import type { Account, ErrorPayload } from "./bindings";
import { charCount, LIMITS, SIGNATURE_MAX, validateEmail, type FieldIssue } from "./validation";

export { SIGNATURE_MAX };

export type ExtrasField = "replyTo" | "signature";
export const EXTRAS_FIELDS: readonly ExtrasField[] = ["replyTo", "signature"];

/** The section's values as typed. */
export interface ExtrasForm {
  replyTo: string;
  signature: string;
}

export type ExtrasIssues = Partial<Record<ExtrasField, FieldIssue>>;

export function isExtrasField(field: string | null | undefined): field is ExtrasField {
  return typeof field === "string" && (EXTRAS_FIELDS as readonly string[]).includes(field);
}

/** The stored values (null: none) as the form shows them. */
export function extrasForm(account: Pick<Account, "replyTo" | "signature">): ExtrasForm {
  return { replyTo: account.replyTo ?? "", signature: account.signature ?? "" };
}

/** The signature as the backend keeps it: CRLF as LF, blank lines and spaces around it gone. */
export function normalizeSignature(raw: string): string {
  return raw.replace(/\r\n/g, "\n").replace(/^[\n ]+|[\n ]+$/g, "");
}

/** The live counter under the signature: characters kept, out of the most allowed. */
export function signatureCounter(raw: string): { count: number; max: number; over: boolean } {
  const count = charCount(normalizeSignature(raw));
  return { count, max: SIGNATURE_MAX, over: count > SIGNATURE_MAX };
}

// Control characters (Rust's char::is_control) other than LF and tab: a lone CR too.
// eslint-disable-next-line no-control-regex
const SIGNATURE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

/** Optional; line breaks and tabs allowed, no other control characters; at most SIGNATURE_MAX. */
export function validateSignature(raw: string): FieldIssue | null {
  const signature = normalizeSignature(raw);
  if (charCount(signature) > SIGNATURE_MAX) {
    return { code: "validation.too_long", params: { max: SIGNATURE_MAX } };
  }
  if (SIGNATURE_CONTROL.test(signature)) return { code: "validation.control_chars" };
  return null;
}

/** Optional; an address when given. */
export function validateReplyTo(raw: string): FieldIssue | null {
  return validateEmail(raw, { required: false, max: LIMITS.senderEmail });
}

export function validateExtras(form: ExtrasForm): ExtrasIssues {
  const issues: ExtrasIssues = {};
  const replyTo = validateReplyTo(form.replyTo);
  const signature = validateSignature(form.signature);
  if (replyTo) issues.replyTo = replyTo;
  if (signature) issues.signature = signature;
  return issues;
}

/** What to send: the address trimmed, the signature as the backend keeps it ("" clears). */
export function toExtrasInput(form: ExtrasForm): ExtrasForm {
  return { replyTo: form.replyTo.trim(), signature: normalizeSignature(form.signature) };
}

/** The field a backend error is about (its `field`, or the first of `fields`); null: none of these. */
export function extrasErrorField(err: ErrorPayload): ExtrasField | null {
  const named = [err.field, ...(err.fields ?? [])];
  return named.find(isExtrasField) ?? null;
}
