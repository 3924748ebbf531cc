// Client-side field checks, as ulak-core's validate.rs makes them, so errors show while
// typing. Each check returns null when fine, or an issue whose `code` is the backend's code.

import { LIMITS, type ContactInput, type ProfileInput, type Security } from "./bindings";

// Every length limit comes from Rust (ulak_core::validate::LIMITS, generated into
// bindings.ts): one set of numbers for the backend's checks and these.
export { LIMITS };

export const PASSPHRASE_MIN = LIMITS.passphraseMin;

/** An account's signature, at most (ulak-channels' email::accounts::SIGNATURE_MAX). */
export const SIGNATURE_MAX = 2000;

/** Max length by the backend's `field` name, to fill `{max}` in error hints. */
export const FIELD_MAX: Readonly<Record<string, number>> = {
  displayName: LIMITS.displayName,
  senderName: LIMITS.senderName,
  senderEmail: LIMITS.senderEmail,
  name: LIMITS.workspaceName,
  // SMTP account fields (the backend's names in AccountInput).
  email: LIMITS.senderEmail,
  host: LIMITS.host,
  username: LIMITS.smtpUsername,
  // Contacts (the backend's names in ContactInput); "name" differs by form, see params.
  phone: LIMITS.phone,
  // An account's extras (set_account_extras).
  replyTo: LIMITS.senderEmail,
  // Where notification e-mails go (Bildirimler, NoticeEmail.address).
  notifyEmail: LIMITS.senderEmail,
  signature: SIGNATURE_MAX,
};

export type IssueCode =
  | "validation.required"
  | "validation.too_long"
  | "validation.control_chars"
  | "validation.email"
  | "validation.passphrase_mismatch"
  | "store.passphrase_too_short"
  | "smtp.bad_host"
  | "smtp.bad_port"
  | "smtp.insecure_remote"
  | "validation.phone"
  | "validation.email_or_phone"
  | "validation.choice"
  | "validation.url"
  | "validation.range"
  | "whatsapp.template_name"
  | "whatsapp.language"
  | "whatsapp.too_many_params";

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

// ---- SMTP server fields (mirrors ulak-channels' email/server.rs); the account form
// itself is the SMTP spec's (see providers.ts and smtp.ts) ----

// A strict dotted quad, no leading zeros (as Rust's Ipv4Addr parses it).
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const HOST_LABEL = /^[\p{Alphabetic}\p{N}-]+$/u;

function ipv4Octets(value: string): number[] | null {
  const m = IPV4.exec(value);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Canonical form of an IPv6 literal (without brackets), or null. */
function ipv6Canonical(value: string): string | null {
  if (!value.includes(":") || /[[\]%/\s]/.test(value)) return null;
  try {
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

function unbracket(value: string): string {
  return value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
}

/** True for localhost, *.localhost, 127.0.0.0/8 and ::1: the only hosts allowed without TLS. */
export function isLoopbackHost(value: string): boolean {
  const h = unbracket(value.trim()).replace(/\.+$/, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const v4 = ipv4Octets(h);
  if (v4) return v4[0] === 127;
  return ipv6Canonical(h) === "::1";
}

/** Server name or IP literal: no spaces, labels of letters/digits/hyphens, ≤ 253 chars. */
export function validateHost(value: string): FieldIssue | null {
  const issue = validateText(value, { max: LIMITS.host, required: true });
  if (issue) return issue;
  const h = value.trim();
  if (ipv4Octets(h) || ipv6Canonical(unbracket(h)) !== null) return null;
  const ok = h
    .split(".")
    .every(
      (label) =>
        label !== "" &&
        charCount(label) <= 63 &&
        !label.startsWith("-") &&
        !label.endsWith("-") &&
        HOST_LABEL.test(label),
    );
  return ok ? null : { code: "smtp.bad_host" };
}

/** The port as a number when the raw text is a valid one (1–65535), else null. */
export function parsePort(raw: string): number | null {
  const v = raw.trim();
  if (!/^\d{1,6}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * Validates the raw text of the port input. `badInput` is the browser's
 * `validity.badInput` for a number input: it then reports "" for what was typed.
 */
export function validatePort(raw: string, badInput = false): FieldIssue | null {
  if (badInput) return { code: "smtp.bad_port" };
  if (hasControlChars(raw)) return { code: "validation.control_chars" };
  if (raw.trim() === "") return { code: "validation.required" };
  return parsePort(raw) === null ? { code: "smtp.bad_port" } : null;
}

/** `none` is only for a server on this machine; checked once the host itself is valid. */
export function validateSecurity(security: Security | "", host: string): FieldIssue | null {
  if (security === "") return { code: "validation.required" };
  if (security === "none" && host.trim() !== "" && validateHost(host) === null) {
    return isLoopbackHost(host) ? null : { code: "smtp.insecure_remote" };
  }
  return null;
}

/** Nothing is encrypted: worth a warning even where it is allowed. */
export function isUnencryptedLocal(form: { security: string; host: string }): boolean {
  return form.security === "none" && validateHost(form.host) === null && isLoopbackHost(form.host);
}

// ---- companies and contacts (mirrors ulak-crm's companies.rs and contacts.rs) ----

export function validateCompanyName(value: string): FieldIssue | null {
  return validateText(value, { max: LIMITS.companyName, required: true });
}

// Digits with the usual separators, an optional leading "+": "0532 123 45 67",
// "+90 (532) 123-4567". The backend parses it properly (default region TR).
const PHONE_SHAPE = /^\+?[0-9 ().\-/]+$/;
const PHONE_DIGITS_MIN = 7;
// E.164 allows 15 digits; "00" plus a trunk "0" may add a few when written locally.
const PHONE_DIGITS_MAX = 17;

/** A rough phone check while typing; the backend is the final judge. Optional. */
export function validatePhone(value: string): FieldIssue | null {
  const issue = validateText(value, { max: LIMITS.phone, required: false });
  if (issue) return issue;
  const v = value.trim();
  if (v === "") return null;
  if (!PHONE_SHAPE.test(v)) return { code: "validation.phone" };
  const digits = v.replace(/\D/g, "").length;
  return digits >= PHONE_DIGITS_MIN && digits <= PHONE_DIGITS_MAX
    ? null
    : { code: "validation.phone" };
}

/** The contact form's text fields (its İYS recipient type is a choice, never wrong). */
export type ContactField = Exclude<keyof ContactInput, "recipientType">;
export const CONTACT_FIELDS: readonly ContactField[] = ["name", "email", "phone", "notes"];
export type ContactIssues = Partial<Record<ContactField, FieldIssue>>;

export function isContactField(field: string | null | undefined): field is ContactField {
  return typeof field === "string" && (CONTACT_FIELDS as readonly string[]).includes(field);
}

/** A name, and an address or a phone to reach them by. */
export function validateContact(input: ContactInput): ContactIssues {
  const issues: ContactIssues = {};
  const name = validateText(input.name, { max: LIMITS.contactName, required: true });
  const email = validateEmail(input.email, { required: false, max: LIMITS.contactEmail });
  const phone = validatePhone(input.phone);
  if (name) issues.name = name;
  if (email) issues.email = email;
  if (phone) issues.phone = phone;
  if (!email && !phone && input.email.trim() === "" && input.phone.trim() === "") {
    issues.email = { code: "validation.email_or_phone" };
    issues.phone = { code: "validation.email_or_phone" };
  }
  return issues;
}

/**
 * What to send: single-line fields trimmed, notes as typed (the backend trims them), and
 * the İYS recipient type (TACIR, a company's employee, when not chosen).
 */
export function toContactInput(input: ContactInput): ContactInput {
  return {
    name: input.name.trim(),
    email: input.email.trim(),
    phone: input.phone.trim(),
    notes: input.notes,
    recipientType: input.recipientType ?? "TACIR",
  };
}
