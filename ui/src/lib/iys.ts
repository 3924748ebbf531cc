// İYS (İleti Yönetim Sistemi) without Svelte: a contact's recipient type, an SMS's
// purpose (commercial or informational), and the commercial-message check in words —
// what a commercial SMS or campaign e-mail lacks and how to fix it, and the warning about
// individual recipients. Shared by SMS Gönder, Kampanyalar and the contact form. The
// check is advice: it never stops a send.

import type {
  EmailIysCheck,
  IysCheck,
  IysMissing,
  Language,
  Purpose,
  RecipientType,
} from "./bindings";
import { translate } from "./i18n";
import { sentNumbers } from "./recipients";
import { validatePhone } from "./validation";

// ---- a contact's recipient type ----------------------------------------------------------

/** The form's choices, the default first: a customer company's contact is a merchant. */
export const RECIPIENT_TYPES: readonly RecipientType[] = ["TACIR", "BIREYSEL"];
export const DEFAULT_RECIPIENT_TYPE: RecipientType = "TACIR";

/** "Tacir / esnaf (şirket çalışanı)", "Bireysel (kişisel onay gerekir)". */
export function recipientTypeLabel(lang: Language, type: RecipientType): string {
  return translate(lang, `iys.recipientType.${type}`);
}

/** The list's small badge: only individuals have one ("Bireysel"). */
export function recipientTypeBadge(lang: Language, type: RecipientType): string | null {
  return type === "BIREYSEL" ? translate(lang, "iys.recipientType.badge") : null;
}

// ---- an SMS's purpose ----------------------------------------------------------------------

/** The radios' values: "" says nothing (the integration's own setting decides). */
export type SmsPurpose = "" | Purpose;
export const SMS_PURPOSES: readonly SmsPurpose[] = ["", "informational", "commercial"];

/** The radio's id suffix: `sms-purpose-none`, `…-informational`, `…-commercial`. */
export function purposeId(purpose: SmsPurpose): "none" | Purpose {
  return purpose === "" ? "none" : purpose;
}

export function purposeLabel(lang: Language, purpose: SmsPurpose): string {
  return translate(lang, `iys.purpose.${purposeId(purpose)}`);
}

/** What SmsInput / SmsBulkInput carry: null when the user said nothing. */
export function toPurpose(purpose: SmsPurpose | null | undefined): Purpose | null {
  return purpose === "informational" || purpose === "commercial" ? purpose : null;
}

// ---- the check's words ---------------------------------------------------------------------

/** Every item the law asks of a commercial message, in the order they are listed. */
export const IYS_MISSING: readonly IysMissing[] = ["tradeName", "contact", "refusal", "marker"];

/** The message's channel: an SMS's marker is at its start, an e-mail's in its subject. */
export type IysChannel = "sms" | "email";

/** What is missing and how to fix it. */
export function missingText(lang: Language, channel: IysChannel, item: IysMissing): string {
  return translate(lang, `iys.${channel}.${item}`);
}

/** One line of the check's result. */
export type IysLine =
  | { kind: "missing"; item: IysMissing; text: string }
  /** Individuals among the recipients (SMS: and the provider cannot check consent). */
  | { kind: "individuals"; count: number; text: string }
  /** Nothing is missing and nothing to warn about. */
  | { kind: "ok"; text: string };

/** The missing items in the listed order, each once. */
function orderedMissing(missing: readonly IysMissing[]): IysMissing[] {
  return IYS_MISSING.filter((item) => missing.includes(item));
}

/**
 * A commercial SMS's check in lines: each missing item, then — when some recipients are
 * individuals and the provider does not filter by İYS consent — the warning; "eksik yok"
 * when there is neither.
 */
export function smsIysLines(lang: Language, check: IysCheck): IysLine[] {
  const lines: IysLine[] = orderedMissing(check.missing).map((item) => ({
    kind: "missing",
    item,
    text: missingText(lang, "sms", item),
  }));
  if (check.individuals > 0 && !check.providerFilters) {
    lines.push({
      kind: "individuals",
      count: check.individuals,
      text: translate(lang, "iys.sms.unfiltered", { n: check.individuals }),
    });
  }
  if (lines.length === 0) lines.push({ kind: "ok", text: translate(lang, "iys.ok") });
  return lines;
}

/**
 * A commercial campaign's check in lines. A campaign's mail always carries an unsubscribe
 * link, so "refusal" is not expected; it is worded all the same if the backend says so.
 */
export function emailIysLines(lang: Language, check: EmailIysCheck): IysLine[] {
  const lines: IysLine[] = orderedMissing(check.missing).map((item) => ({
    kind: "missing",
    item,
    text: missingText(lang, "email", item),
  }));
  if (check.individuals > 0) {
    lines.push({
      kind: "individuals",
      count: check.individuals,
      text: translate(lang, "iys.email.individuals", { n: check.individuals }),
    });
  }
  if (lines.length === 0) lines.push({ kind: "ok", text: translate(lang, "iys.ok") });
  return lines;
}

// ---- when SMS Gönder asks ------------------------------------------------------------------

/** SMS Gönder asks again this long after the last change (text, recipients, provider). */
export const IYS_CHECK_DELAY_MS = 400;

/** What `smsIysCheck` is asked with. */
export interface SmsIysArgs {
  provider: string | null;
  companyId: number | null;
  to: string[];
  text: string;
}

/**
 * What to check a commercial SMS with; null when there is nothing to check (not
 * commercial, or no text yet). In single mode a number is counted once it looks like
 * one; in bulk mode the recipients go as they would be sent.
 */
export function smsIysArgs(
  form: { provider: string; company: string; to: string; text: string; purpose: SmsPurpose },
  bulk: boolean,
  recipients: readonly string[],
): SmsIysArgs | null {
  if (form.purpose !== "commercial") return null;
  const text = form.text.replace(/\r\n/g, "\n").trim();
  if (text === "") return null;
  const single = form.to.trim();
  const to = bulk
    ? sentNumbers(recipients)
    : single !== "" && validatePhone(single) === null
      ? [single]
      : [];
  return {
    provider: form.provider === "" ? null : form.provider,
    companyId: /^\d+$/.test(form.company) ? Number(form.company) : null,
    to,
    text,
  };
}
