// Client-side field checks, mirroring ulak-core's validate.rs so errors show while typing.
// Each check returns null when fine, or an issue whose `code` is the backend's code.

import type { ProfileInput } from "./bindings";

export const LIMITS = {
  displayName: 100,
  senderName: 100,
  senderEmail: 254,
  workspaceName: 100,
} as const;

export const PASSPHRASE_MIN = 8;

/** Max length by the backend's `field` name, to fill `{max}` in error hints. */
export const FIELD_MAX: Readonly<Record<string, number>> = {
  displayName: LIMITS.displayName,
  senderName: LIMITS.senderName,
  senderEmail: LIMITS.senderEmail,
  name: LIMITS.workspaceName,
};

export type IssueCode =
  | "validation.required"
  | "validation.too_long"
  | "validation.control_chars"
  | "validation.email"
  | "validation.passphrase_mismatch"
  | "store.passphrase_too_short";

export interface FieldIssue {
  code: IssueCode;
  params?: Record<string, number>;
}

// Any C0/C1 control character, CR and LF included (Rust's char::is_control).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Length in characters (code points), as the backend counts. */
export function charCount(value: string): number {
  return Array.from(value).length;
}

export function hasControlChars(value: string): boolean {
  return CONTROL.test(value);
}

export function validateText(
  value: string,
  opts: { max: number; required: boolean },
): FieldIssue | null {
  if (hasControlChars(value)) return { code: "validation.control_chars" };
  const v = value.trim();
  if (opts.required && v === "") return { code: "validation.required" };
  if (charCount(v) > opts.max) return { code: "validation.too_long", params: { max: opts.max } };
  return null;
}

// RFC 5322 atext plus Unicode letters, digits and marks (RFC 6531), dot-separated.
const LOCAL_ATOM = "[\\p{L}\\p{N}\\p{M}!#$%&'*+/=?^_`{|}~-]+";
const LOCAL = new RegExp(`^${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*$`, "u");
// A domain label: letters/digits (Unicode allowed for IDN), hyphens inside only.
const LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;

/** A plausible `local@domain.tld`, IDN allowed (e.g. `satış@örnek.com.tr`). */
export function isPlausibleEmail(value: string): boolean {
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (charCount(local) > 64 || !LOCAL.test(local)) return false;
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  if (!labels.every((l) => charCount(l) <= 63 && LABEL.test(l))) return false;
  const tld = labels[labels.length - 1] ?? "";
  return charCount(tld) >= 2 && !/^\d+$/.test(tld);
}

export function validateEmail(
  value: string,
  opts: { required: boolean; max?: number } = { required: true },
): FieldIssue | null {
  const max = opts.max ?? LIMITS.senderEmail;
  const issue = validateText(value, { max, required: opts.required });
  if (issue) return issue;
  const v = value.trim();
  if (v === "") return null;
  return isPlausibleEmail(v) ? null : { code: "validation.email" };
}

export type ProfileField = keyof ProfileInput;
export type ProfileIssues = Partial<Record<ProfileField, FieldIssue>>;

export function validateDisplayName(value: string): FieldIssue | null {
  return validateText(value, { max: LIMITS.displayName, required: true });
}

export function validateSenderEmail(value: string): FieldIssue | null {
  return validateEmail(value, { required: true, max: LIMITS.senderEmail });
}

export function validateSenderName(value: string): FieldIssue | null {
  return validateText(value, { max: LIMITS.senderName, required: false });
}

export function validateProfile(input: ProfileInput): ProfileIssues {
  const issues: ProfileIssues = {};
  const d = validateDisplayName(input.displayName);
  const e = validateSenderEmail(input.senderEmail);
  const n = validateSenderName(input.senderName);
  if (d) issues.displayName = d;
  if (e) issues.senderEmail = e;
  if (n) issues.senderName = n;
  return issues;
}

export function validateWorkspaceName(value: string): FieldIssue | null {
  return validateText(value, { max: LIMITS.workspaceName, required: true });
}

/** Creating a passphrase needs PASSPHRASE_MIN characters; unlocking only needs one. */
export function validatePassphrase(value: string, mode: "create" | "unlock"): FieldIssue | null {
  if (value === "") return { code: "validation.required" };
  if (mode === "create" && charCount(value) < PASSPHRASE_MIN) {
    return { code: "store.passphrase_too_short", params: { min: PASSPHRASE_MIN } };
  }
  return null;
}

export function validatePassphraseConfirm(passphrase: string, confirm: string): FieldIssue | null {
  if (confirm === "") return { code: "validation.required" };
  return confirm === passphrase ? null : { code: "validation.passphrase_mismatch" };
}
