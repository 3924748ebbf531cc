// Plain logic of the E-posta Ayarları page: the autofill decision and the texts for
// connection-test results. No Svelte here, so it is unit-tested directly.

import type {
  Account,
  AccountInput,
  AuthKind,
  ErrorPayload,
  Failure,
  Language,
  LookupOutcome,
  ProbeReport,
  Security,
  ServerParams,
  Source,
  StepKind,
  Suggestion,
} from "./bindings";
import { describeError, translate, type ErrorText, type MessageKey } from "./i18n";
import { specFor, validateSpec } from "./providers";
import { formToLimits, type LimitsForm } from "./sending";
import { parsePort, validateSecurity, type FieldIssue } from "./validation";

// ---- the account form: the SMTP provider's spec, plus what only SMTP checks ----

/** crates/ulak-channels/specs/email/smtp.toml, as bindings.ts carries it. */
export const SMTP_SPEC = specFor("email", "smtp");

export type SmtpField = keyof AccountInput;

/** The spec's order: the form's, and the backend's "missing" list's. */
export const SMTP_FIELDS: readonly SmtpField[] = SMTP_SPEC.fields.map((f) => f.key as SmtpField);

export function isSmtpField(field: string | null | undefined): field is SmtpField {
  return typeof field === "string" && (SMTP_FIELDS as readonly string[]).includes(field);
}

/** The form as typed: everything is text, the port too (0 and 70000 must be refusable). */
export type AccountForm = {
  email: string;
  senderName: string;
  host: string;
  port: string;
  security: Security | "";
  username: string;
  password: string;
};

export type AccountIssues = Partial<Record<SmtpField, FieldIssue>>;

/**
 * The sign-in fields: a company relay that takes mail without a sign-in ("Oturum açmadan
 * gönder", `noAuth`) has none, so the form hides them and nothing checks them.
 */
export const SIGN_IN_FIELDS: readonly SmtpField[] = ["username", "password"];

/** The form's fields not shown (nor checked, nor sent) now. */
export function hiddenFields(noAuth: boolean): readonly SmtpField[] {
  return noAuth ? SIGN_IN_FIELDS : [];
}

/**
 * The spec's checks, then SMTP's own: no plain-text connection to another machine, and
 * the password required again when `passwordAgain` (see passwordNeededAgain). With
 * `noAuth` (a relay without a sign-in) the username and password are neither required
 * nor checked: they are not sent.
 */
export function validateAccount(
  form: AccountForm,
  opts: { creating: boolean; portBadInput?: boolean; passwordAgain?: boolean; noAuth?: boolean },
): { issues: AccountIssues; missing: SmtpField[] } {
  const { issues } = validateSpec(SMTP_SPEC, form, {
    creating: opts.creating,
    badInput: { port: opts.portBadInput ?? false },
  });
  if (!issues.host && !issues.security) {
    const remote = validateSecurity(form.security, form.host);
    if (remote) issues.security = remote;
  }
  if (opts.noAuth) {
    for (const key of SIGN_IN_FIELDS) delete issues[key];
  } else if (opts.passwordAgain && !issues.password && form.password === "") {
    issues.password = { code: "validation.required" };
  }
  const missing = SMTP_FIELDS.filter((k) => issues[k]?.code === "validation.required");
  return { issues: issues as AccountIssues, missing };
}

/** A host as the backend keeps it: trimmed, an IPv6 address without its brackets. */
function savedHost(value: string): string {
  const h = value.trim();
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/**
 * The saved password is never handed to another server: while an account is edited and
 * its host, port or security differs from the saved one, the password must be typed
 * again (the backend refuses with smtp.password_again otherwise). Not for a new account
 * (`saved` null), nor for one signed in with OAuth (it has no password), nor when the
 * form sends without a sign-in (`noAuth`: no password is sent).
 */
export function passwordNeededAgain(
  saved: Pick<Account, "host" | "port" | "security" | "oauth"> | null,
  form: Pick<AccountForm, "host" | "port" | "security">,
  noAuth = false,
): boolean {
  if (noAuth || saved === null || saved.oauth !== null) return false;
  return (
    savedHost(form.host) !== savedHost(saved.host) ||
    parsePort(form.port) !== saved.port ||
    form.security !== saved.security
  );
}

/**
 * A saved relay (no sign-in, so no password stored) that is to sign in now: the password
 * must be typed, there is none to keep. Not for a new account (the spec requires it
 * then anyway), nor while the form still sends without a sign-in.
 */
export function passwordNeededForSignIn(
  saved: Pick<Account, "noAuth" | "oauth"> | null,
  noAuth: boolean,
): boolean {
  return !noAuth && saved !== null && saved.oauth === null && saved.noAuth;
}

/**
 * What to send: trimmed text, the port as a number, an empty password as null (keep);
 * with the "Gönderim sınırları" fields, the limits (waits in milliseconds) and whether
 * the account sends. Limits that are not valid are null (kept as stored): the form
 * checks them first (validateLimits). With `noAuth` (a relay without a sign-in) the
 * username is "" and the password null, whatever the hidden fields still hold.
 */
export function toAccountInput(
  form: AccountForm,
  limits?: LimitsForm | null,
  noAuth = false,
): AccountInput {
  const port = form.port.trim();
  const input: AccountInput = {
    email: form.email.trim(),
    senderName: form.senderName.trim(),
    host: form.host.trim(),
    port: port === "" ? null : Number(port),
    security: form.security === "" ? null : form.security,
    username: noAuth ? "" : form.username.trim(),
    password: noAuth || form.password === "" ? null : form.password,
    noAuth,
  };
  if (limits) {
    input.limits = formToLimits(limits);
    input.active = limits.active;
  }
  return input;
}

/**
 * The form as typed (`input`, without limits) sends exactly what the saved account holds:
 * the same address, sender name, server, sign-in (username; no new password typed) and
 * "Oturum açmadan gönder". Then a test of the saved account is a test of the form; anything
 * else (a new account, `saved` null, or unsaved changes) is tested as typed.
 */
export function inputMatchesSaved(
  saved: Pick<
    Account,
    "email" | "senderName" | "host" | "port" | "security" | "username" | "noAuth"
  > | null,
  input: AccountInput,
): boolean {
  if (saved === null) return false;
  const noAuth = input.noAuth ?? false;
  return (
    input.email === saved.email &&
    input.senderName === saved.senderName &&
    savedHost(input.host) === savedHost(saved.host) &&
    input.port === saved.port &&
    input.security === saved.security &&
    noAuth === saved.noAuth &&
    (noAuth || (input.username === saved.username && input.password === null))
  );
}

/** The four fields a suggestion fills, as the form holds them (text). */
export interface ServerFields {
  host: string;
  port: string;
  security: Security | "";
  username: string;
}

export const SERVER_FIELDS: readonly (keyof ServerFields)[] = [
  "host",
  "port",
  "security",
  "username",
];

export function serverFields(p: ServerParams): ServerFields {
  return { host: p.host, port: String(p.port), security: p.security, username: p.username };
}

/**
 * Which fields to set when a new suggestion (or none: `next` null) arrives.
 *
 * A field is ours to change when it is empty or still holds exactly what the previous
 * suggestion put there; anything else was typed by hand and is never touched. When the
 * host was typed by hand, port and security belong to that host and stay as they are.
 * With no new suggestion, what the previous one filled in is cleared (it was for
 * another address), hand-typed values stay.
 */
export function planAutofill(
  current: ServerFields,
  previous: ServerFields | null,
  next: ServerFields | null,
): Partial<ServerFields> {
  const free = (k: keyof ServerFields): boolean =>
    current[k].trim() === "" || (previous !== null && current[k] === previous[k]);
  const plan: Partial<ServerFields> = {};
  const set = <K extends keyof ServerFields>(k: K, v: ServerFields[K]): void => {
    if (current[k] !== v) plan[k] = v;
  };
  const hostByHand = !free("host");
  for (const k of SERVER_FIELDS) {
    if (!free(k)) continue;
    if (hostByHand && k !== "username") continue;
    if (next) set(k, next[k]);
    else if (current[k].trim() !== "") set(k, "");
  }
  return plan;
}

/**
 * The note under the address once a suggestion arrived: `current` is the form before
 * `plan` (planAutofill's answer for `next`) was applied. "filled" when the suggestion
 * went into the form, "kept" when the form keeps other (hand-typed) values than the
 * suggestion's, null when there is nothing to say.
 */
export function autofillNoteFor(
  current: ServerFields,
  plan: Partial<ServerFields>,
  next: ServerFields | null,
): "filled" | "kept" | null {
  if (next === null) return null;
  if (Object.keys(plan).length > 0) return "filled";
  // Nothing was planned, so the form still holds `current`.
  return SERVER_FIELDS.some((k) => current[k] !== next[k]) ? "kept" : null;
}

/** The provider takes OAuth sign-in only: its servers are no password login to offer. */
export function oauthOnly(s: Suggestion | null | undefined): boolean {
  return s?.auth === "oauth_only";
}

/**
 * What a suggestion puts into the password form: its `index`th server's fields; null
 * when it has no such server, or when the provider takes OAuth sign-in only (the form
 * is not filled; the page points at the "Bağlan" buttons instead).
 */
export function suggestedServer(
  s: Suggestion | null | undefined,
  index = 0,
): ServerFields | null {
  if (!s || oauthOnly(s)) return null;
  const server = s.servers[index];
  return server ? serverFields(server) : null;
}

/**
 * Why there is no suggestion, by the lookup's outcome; the general "none found" when
 * it is not known (the lookup could not be asked, or it says "found" but found none).
 */
export function outcomeKey(outcome: LookupOutcome | null): MessageKey {
  return outcome === null || outcome === "found"
    ? "smtp.suggestion.none"
    : `smtp.suggestion.outcome.${outcome}`;
}

/** The words naming the OAuth "Bağlan" buttons, for the texts that point at them. */
function connectButtons(lang: Language): { google: string; microsoft: string } {
  return { google: translate(lang, "connect.google"), microsoft: translate(lang, "connect.microsoft") };
}

/** "Bu sağlayıcı gönderim için parola kabul etmiyor…: yukarıdaki “Google ile bağlan”…" */
export function oauthOnlyNote(lang: Language): string {
  return translate(lang, "smtp.suggestion.oauthOnly", connectButtons(lang));
}

export function sourceKey(source: Source): MessageKey {
  return `smtp.source.${source}`;
}

/** "Yerleşik sağlayıcı listesi: Gmail"; the domain when the provider has no name. */
export function describeSource(lang: Language, s: Suggestion, email: string): string {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  return translate(lang, sourceKey(s.source), { name: s.providerName ?? domain });
}

export function suggestionHint(lang: Language, s: Suggestion): string | null {
  return s.hint?.[lang]?.trim() || null;
}

/**
 * A test step's label, true to its outcome: "Giriş yapıldı" once it passed (`ok`),
 * "Giriş yapılamadı" when it failed.
 */
export function stepKey(kind: StepKind, ok: boolean): MessageKey {
  return ok ? `smtp.step.${kind}.done` : `smtp.step.${kind}.failed`;
}

export function modeKey(security: Security): MessageKey {
  return `smtp.mode.${security}`;
}

/** "SSL/TLS'e geç (465)" for a mode-mismatch suggestion. */
export function applyModeLabel(lang: Language, security: Security, port: number): string {
  return translate(lang, `smtp.test.applyMode.${security}`, { port });
}

/** The fix for a refused login depends on what kind of password the provider wants. */
export function authFixKey(auth: AuthKind | null | undefined): MessageKey {
  switch (auth) {
    case "app_password":
      return "smtp.authFix.app_password";
    case "oauth_preferred":
      return "smtp.authFix.oauth_preferred";
    case "api_key":
      return "smtp.authFix.api_key";
    case "oauth_only":
      return "smtp.authFix.oauth_only";
    default:
      return "smtp.authFix.password";
  }
}

/**
 * Cause and fix of a failed test, by `failure.code`; an unknown code falls back to the
 * backend's message and hint. `auth` is the auth kind of the last suggestion for the
 * account's address.
 */
export function describeFailure(
  lang: Language,
  failure: Pick<Failure, "code" | "message" | "hint">,
  auth: AuthKind | null | undefined,
): ErrorText {
  const text = describeError(lang, {
    code: failure.code,
    message: failure.message,
    hint: failure.hint,
  });
  if (failure.code === "smtp.auth_failed") {
    return { message: text.message, hint: translate(lang, authFixKey(auth), connectButtons(lang)) };
  }
  return text;
}

/**
 * Why an account failed in "Tüm hesapları test et", on one line: the failure's cause
 * (as describeFailure words it), or why the test could not run; null when it passed.
 */
export function testAllReason(
  lang: Language,
  outcome: { ok: boolean; report: ProbeReport | null; error: ErrorPayload | null },
): string | null {
  if (outcome.ok) return null;
  const failure = outcome.report?.failure;
  if (failure) return describeFailure(lang, failure, null).message;
  if (outcome.error) return describeError(lang, outcome.error).message;
  return translate(lang, "smtp.test.failed");
}

/** A certificate's expiry date, "15 Oca 2030"; the backend's text when it is not a date. */
export function formatCertDate(lang: Language, value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang === "tr" ? "tr-TR" : "en-GB", {
    dateStyle: "medium",
  }).format(date);
}
