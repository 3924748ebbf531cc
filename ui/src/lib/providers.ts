// The sending providers' specs (crates/ulak-channels/specs/, generated into bindings.ts as
// PROVIDER_SPECS) and the checks any spec's form makes while typing, as the backend's
// `spec.rs` makes them. No Svelte here: ProviderForm renders what this decides.

import {
  LIMITS,
  PROVIDER_SPECS,
  type FieldSpec,
  type Language,
  type MessageChannel,
  type ProviderSpec,
  type Words,
} from "./bindings";
import {
  charCount,
  validateEmail,
  validateHost,
  validatePhone,
  validatePort,
  validateText,
  type FieldIssue,
} from "./validation";

/** The generated data is `as const`; this is its type, checked against Rust's. */
type Frozen<T> = T extends (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

export type Spec = Frozen<ProviderSpec>;
export type SpecField = Frozen<FieldSpec>;

/** Every built-in spec; the assignment fails the typecheck if the data and type drift. */
export const SPECS: readonly Spec[] = PROVIDER_SPECS;

export function specFor(channel: MessageChannel, provider: string): Spec {
  const spec = SPECS.find((s) => s.channel === channel && s.provider === provider);
  if (!spec) throw new Error(`no spec for ${channel}/${provider}`);
  return spec;
}

export function words(w: Frozen<Words>, lang: Language): string {
  return w[lang];
}

/** The input's id: `smtp` + `senderName` → `smtp-sender-name`. */
export function fieldId(prefix: string, key: string): string {
  return `${prefix}-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function isRequired(field: SpecField, creating: boolean): boolean {
  return field.required === "always" || (field.required === "on_create" && creating);
}

/** What the form holds: every field as typed text. */
export type Values = Record<string, string>;

export function emptyValues(spec: Spec): Values {
  return Object.fromEntries(spec.fields.map((f) => [f.key, ""]));
}

// Secrets keep every character but these (Rust's FieldSpec::check for secrets).
const SECRET_BREAKS = /[\r\n\0]/;

/** `https://…`, or `http://` to this computer (a local test server), as validate::url. */
export function validateUrl(value: string, max: number): FieldIssue | null {
  const issue = validateText(value, { max, required: false });
  if (issue) return issue;
  const v = value.trim();
  if (v === "") return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return { code: "validation.url" };
  }
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const local = host === "localhost" || /^127\./.test(host) || host === "::1";
  const ok =
    host !== "" &&
    u.search === "" &&
    u.hash === "" &&
    u.username === "" &&
    u.password === "" &&
    (u.protocol === "https:" || (u.protocol === "http:" && local));
  return ok ? null : { code: "validation.url" };
}

/** A provider's pace in messages a second, as the backend takes it (1 to LIMITS). */
export const RATE_RANGE = { min: 1, max: LIMITS.ratePerSecond } as const;

/** The pace as a number when the raw text is a whole number in RATE_RANGE, else null. */
export function parseRate(raw: string): number | null {
  const v = raw.trim();
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= RATE_RANGE.min && n <= RATE_RANGE.max ? n : null;
}

/**
 * The pace input's check. Empty is fine (the stored pace, or the spec's, stays);
 * `badInput` is the number input's `validity.badInput` (the browser then reports "").
 */
export function validateRate(raw: string, badInput = false): FieldIssue | null {
  if (!badInput && raw.trim() === "") return null;
  return !badInput && parseRate(raw) !== null
    ? null
    : { code: "validation.range", params: { ...RATE_RANGE } };
}

export interface FieldContext {
  creating: boolean;
  /** The browser could not read a number input (see Field's badInput). */
  badInput?: boolean;
}

/** One field's check: required first, then its kind's rule. */
export function validateField(field: SpecField, raw: string, ctx: FieldContext): FieldIssue | null {
  const max = field.maxLength ?? Number.MAX_SAFE_INTEGER;
  const required = isRequired(field, ctx.creating);
  if (field.kind === "port") {
    if (raw.trim() === "" && !ctx.badInput) return required ? { code: "validation.required" } : null;
    return validatePort(raw, ctx.badInput ?? false);
  }
  if (field.kind === "secret") {
    if (SECRET_BREAKS.test(raw)) return { code: "validation.control_chars" };
    if (raw === "") return required ? { code: "validation.required" } : null;
    return charCount(raw) > max ? { code: "validation.too_long", params: { max } } : null;
  }
  const text = validateText(raw, { max, required });
  if (text || raw.trim() === "") return text;
  switch (field.kind) {
    case "email":
      return validateEmail(raw, { required, max });
    case "host":
      return validateHost(raw);
    case "phone":
      return validatePhone(raw);
    case "url":
      return validateUrl(raw, max);
    case "choice":
      return field.options.some((o) => o.value === raw.trim()) ? null : { code: "validation.choice" };
    case "text":
      return null;
  }
}

export interface SpecValidation {
  issues: Partial<Record<string, FieldIssue>>;
  /** Required fields left empty, in the spec's order (the backend's "missing" list). */
  missing: string[];
}

export function validateSpec(
  spec: Spec,
  values: Values,
  opts: { creating: boolean; badInput?: Partial<Record<string, boolean>> },
): SpecValidation {
  const issues: Partial<Record<string, FieldIssue>> = {};
  for (const field of spec.fields) {
    const issue = validateField(field, values[field.key] ?? "", {
      creating: opts.creating,
      badInput: opts.badInput?.[field.key] ?? false,
    });
    if (issue) issues[field.key] = issue;
  }
  const missing = spec.fields
    .map((f) => f.key)
    .filter((k) => issues[k]?.code === "validation.required");
  return { issues, missing };
}

/** Fields in rows: consecutive fields naming the same `row` sit side by side. */
export function rowsOf(spec: Spec): SpecField[][] {
  const rows: SpecField[][] = [];
  for (const field of spec.fields) {
    const last = rows[rows.length - 1];
    if (field.row && last && last[0]?.row === field.row) last.push(field);
    else rows.push([field]);
  }
  return rows;
}
