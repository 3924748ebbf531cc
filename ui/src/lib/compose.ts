// Pure helpers for E-posta Oluştur: recipient lists, the account choice, attachment
// sizes against the limit, variable insertion, links, and where a backend error shows.

import type { Account, ComposeInput, Language, Template } from "./bindings";
import { dictionaries, lookup } from "./i18n";
import { toRfc3339 } from "./schedule";
import { LIMITS, validateEmail, type IssueCode } from "./validation";

/** The account select's value for the sandbox ("Test kutusu"): nothing is sent. */
export const SANDBOX = "sandbox";

/** The limit when composerInfo cannot be asked (it is the backend's default). */
export const DEFAULT_ATTACHMENTS_MAX_BYTES = 25 * 1024 * 1024;

/** Where the composer shows errors; the backend's field names for them. */
export const COMPOSE_FIELDS = [
  "company",
  "account",
  "to",
  "cc",
  "bcc",
  "subject",
  "body",
  "attachments",
] as const;
export type ComposeField = (typeof COMPOSE_FIELDS)[number];
export type RecipientField = "to" | "cc" | "bcc";

/** The form field a backend error is about ("from" is the account's address). */
export function composeField(field: string | null | undefined): ComposeField | null {
  if (field === "from" || field === "fromName") return "account";
  if (field === "text" || field === "html") return "body";
  return typeof field === "string" && (COMPOSE_FIELDS as readonly string[]).includes(field)
    ? (field as ComposeField)
    : null;
}

// ---- recipients ----

/** The addresses typed into a To/Cc/Bcc box: comma, semicolon or line separated. */
export function splitAddresses(raw: string): string[] {
  return raw
    .split(/[,;\r\n]+/)
    .map((a) => a.trim())
    .filter((a) => a !== "");
}

export interface AddressIssue {
  code: IssueCode;
  /** The offending address, to name it in the message. */
  detail: string;
  params?: Record<string, number>;
}

export interface AddressCheck {
  /** Every address once (the first spelling kept), in the order typed. */
  addresses: string[];
  /** The first address that is not valid, or null. */
  issue: AddressIssue | null;
}

const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Splits and checks an address box with the same rules as the other forms (IDN allowed). */
export function checkAddresses(raw: string): AddressCheck {
  const addresses: string[] = [];
  let issue: AddressIssue | null = null;
  for (const a of splitAddresses(raw)) {
    const bad = validateEmail(a, { required: true, max: LIMITS.contactEmail });
    if (bad && !issue) issue = { code: bad.code, detail: a, params: bad.params };
    if (!addresses.some((x) => sameAddress(x, a))) addresses.push(a);
  }
  return { addresses, issue };
}

/** True when the box already holds this address (case does not matter). */
export function hasAddress(raw: string, email: string): boolean {
  return splitAddresses(raw).some((a) => sameAddress(a, email.trim()));
}

/** The box's text with `email` added at the end, unless it is there already. */
export function addAddress(raw: string, email: string): string {
  const e = email.trim();
  if (e === "" || hasAddress(raw, e)) return raw;
  return [...splitAddresses(raw), e].join(", ");
}

/**
 * The box's text with each of `emails` added at the end, in their order, skipping blanks
 * and the ones it holds already (case does not matter; a repeat in `emails` once), and
 * how many were added: "Firmanın tüm kişileri". The text is unchanged when none was.
 */
export function addAddresses(raw: string, emails: readonly string[]): { text: string; added: number } {
  let text = raw;
  let added = 0;
  for (const email of emails) {
    const next = addAddress(text, email);
    if (next !== text) {
      text = next;
      added++;
    }
  }
  return { text, added };
}

// ---- accounts ----

/** "email — sender name", or only the address when there is no name. */
export function accountLabel(account: Pick<Account, "email" | "senderName">): string {
  const name = account.senderName.trim();
  return name === "" ? account.email : `${account.email} — ${name}`;
}

/** What the default sender is chosen by. */
export type SenderCandidate = Pick<Account, "id" | "active" | "oauth" | "integrationId">;

/**
 * Where an account comes when the composer picks the sender, as the seeds order the
 * e-mail providers: Resend (its integration's account), then Gmail (signed in with
 * Google), then Outlook (signed in with Microsoft), then the rest (SMTP). Lower first.
 */
export function senderRank(account: Pick<Account, "oauth" | "integrationId">): number {
  if (account.integrationId != null) return 0;
  if (account.oauth?.provider === "google") return 1;
  if (account.oauth?.provider === "microsoft") return 2;
  return 3;
}

/**
 * The account a new message is sent from unless the user picks another: the active one
 * first by senderRank, the list's order among equals; null when none is active.
 */
export function defaultAccount<A extends SenderCandidate>(accounts: readonly A[]): A | null {
  let best: A | null = null;
  for (const a of accounts) {
    if (a.active && (best === null || senderRank(a) < senderRank(best))) best = a;
  }
  return best;
}

/** The account select's default: defaultAccount's id, else the sandbox. */
export function defaultAccountChoice(accounts: readonly SenderCandidate[]): string {
  const account = defaultAccount(accounts);
  return account ? String(account.id) : SANDBOX;
}

/** The select's value as ComposeInput.accountId: null for the sandbox. */
export function accountIdOf(choice: string): number | null {
  if (choice === SANDBOX || !/^\d+$/.test(choice)) return null;
  return Number(choice);
}

/** The select's value as a company id, or null for "none chosen". */
export function idOf(choice: string): number | null {
  return /^\d+$/.test(choice) ? Number(choice) : null;
}

// ---- attachments ----

export interface SizedFile {
  size: number;
}

/** A file added to the draft, read into base64 (empty when over the limit on its own). */
export interface Attached {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  dataBase64: string;
}

export function totalBytes(files: readonly SizedFile[]): number {
  return files.reduce((sum, f) => sum + f.size, 0);
}

export function overLimit(files: readonly SizedFile[], limit: number): boolean {
  return totalBytes(files) > limit;
}

const KB = 1024;
const MB = 1024 * 1024;

/** A size for people: "12 KB", "1,5 MB" (Turkish decimal comma), "25 MB". */
export function formatSize(bytes: number, lang: Language): string {
  const locale = lang === "tr" ? "tr-TR" : "en-US";
  const b = Math.max(0, bytes);
  if (b < MB) {
    const kb = b / KB;
    const digits = kb > 0 && kb < 10 ? 1 : 0;
    const shown = b > 0 ? Math.max(kb, 0.1) : 0;
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(shown)} KB`;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(b / MB)} MB`;
}

/** The base64 part of a `data:…;base64,…` URL (FileReader.readAsDataURL). */
export function dataUrlBase64(url: string): string {
  const comma = url.indexOf(",");
  return comma < 0 ? "" : url.slice(comma + 1);
}

/** A file's MIME type, or the generic one when the browser does not know it. */
export function contentTypeOf(file: { type: string }): string {
  return file.type.trim() || "application/octet-stream";
}

// ---- variables ----

/** What a variable looks like in a template: `{{ company.name }}`. */
export function variableToken(name: string): string {
  return `{{ ${name} }}`;
}

/** A variable's label in the given language; its own name when there is none. */
export function variableLabel(lang: Language, name: string): string {
  return lookup(dictionaries[lang], `compose.vars.${name}`) ?? name;
}

/** `value` with `insert` replacing the selection [start, end); where the caret goes after. */
export function insertAt(
  value: string,
  start: number | null,
  end: number | null,
  insert: string,
): { value: string; caret: number } {
  const s = Math.min(Math.max(start ?? value.length, 0), value.length);
  const e = Math.min(Math.max(end ?? s, s), value.length);
  return { value: value.slice(0, s) + insert + value.slice(e), caret: s + insert.length };
}

// ---- the body ----

/** True when the editor holds nothing worth sending (only breaks and spaces). */
export function isBlankHtml(html: string): boolean {
  if (/<(img|hr|table)\b/i.test(html)) return false;
  const text = html
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;|&#160;|\u00a0/g, "")
    .trim();
  return text === "";
}

/**
 * A link typed into the toolbar's box as an href: http(s) and mailto only; a bare
 * domain gets https://, a bare address mailto:. Null when it is not a link.
 */
export function normalizeLink(raw: string): string | null {
  const v = raw.trim();
  if (v === "" || /\s/.test(v)) return null;
  let candidate: string;
  if (/^mailto:/i.test(v)) candidate = v;
  else if (/^https?:\/\//i.test(v)) candidate = v;
  else if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^[^:]+:\d+(\/|$)/.test(v)) return null;
  else if (validateEmail(v) === null) candidate = `mailto:${v}`;
  else candidate = `https://${v}`;
  try {
    const url = new URL(candidate);
    if (url.protocol === "mailto:") return url.pathname.includes("@") ? candidate : null;
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.hostname.includes(".") || url.hostname === "localhost" ? candidate : null;
  } catch {
    return null;
  }
}

/** Escapes text for use inside HTML (a link's text and href). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

// ---- templates ----

const fold = (s: string): string => s.trim().toLocaleLowerCase("tr-TR");

/**
 * Which template "save" writes: the selected one when the name is still its name
 * (update), otherwise null (create a new one).
 */
export function templateToUpdate(
  templates: readonly Pick<Template, "id" | "name">[],
  selectedId: number | null,
  name: string,
): number | null {
  if (selectedId === null) return null;
  const selected = templates.find((t) => t.id === selectedId);
  return selected && fold(selected.name) === fold(name) ? selected.id : null;
}

/** The templates by name, in the interface language's order (how the picker lists them). */
export function sortTemplates<T extends Pick<Template, "name">>(list: readonly T[], lang: Language): T[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name, lang));
}

// ---- sending ----

/** A fresh idempotency key for a draft: one per draft, renewed after it is queued. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof c?.getRandomValues === "function") c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// ---- Cc/Bcc in a separate send ----

/** What the "Cc/Bcc her iletiye eklensin" box looks at: the boxes' raw text. */
export interface CopiesFacts {
  to: string;
  cc: string;
  bcc: string;
  separate: boolean;
}

/** The box shows in a separate send with anything in Cc or Bcc. */
export function copiesEachShown(d: Omit<CopiesFacts, "to">): boolean {
  return d.separate && (splitAddresses(d.cc).length > 0 || splitAddresses(d.bcc).length > 0);
}

/**
 * How many copies each Cc/Bcc address gets with the box ticked: one per message, and a
 * separate send makes one per To address (at least one).
 */
export function copiesCount(to: string): number {
  return Math.max(1, checkAddresses(to).addresses.length);
}

/** The draft as the composer sends it (lib/stores/drafts.svelte's ComposeDraft fits). */
export interface ComposeDraftFields extends CopiesFacts {
  /** An account's id as text, or SANDBOX. */
  account: string;
  /** The company's id as text; "" for none. */
  company: string;
  subject: string;
  /** The editor's innerHTML. */
  bodyHtml: string;
  attachments: readonly Attached[];
  /** The box "Cc/Bcc her iletiye eklensin" is ticked. */
  copiesEach: boolean;
  /** "Daha sonra gönder" is ticked. */
  scheduled: boolean;
  /** The time to send it: the datetime-local input's raw value (`YYYY-MM-DDTHH:MM`). */
  sendAt: string;
}

/**
 * The ComposeInput for a draft (preview and send): `key` null for a preview.
 * `copiesEach` is true only while its box shows and is ticked; `sendAt` is the chosen
 * time as RFC 3339 while "Daha sonra gönder" is ticked (null: now, or not a time; the
 * page checks it before sending: lib/schedule's scheduleIssue).
 */
export function composeInput(d: ComposeDraftFields, key: string | null): ComposeInput {
  const html = isBlankHtml(d.bodyHtml) ? "" : d.bodyHtml;
  return {
    accountId: accountIdOf(d.account),
    companyId: idOf(d.company),
    to: checkAddresses(d.to).addresses,
    cc: checkAddresses(d.cc).addresses,
    bcc: checkAddresses(d.bcc).addresses,
    subject: d.subject,
    html: html === "" ? null : html,
    text: null,
    attachments: d.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      dataBase64: a.dataBase64,
    })),
    separate: d.separate,
    copiesEach: d.copiesEach && copiesEachShown(d),
    idempotencyKey: key,
    sendAt: d.scheduled ? toRfc3339(d.sendAt) : null,
  };
}
