// The composer's own checks of a draft, made before the backend is asked: which field
// is wrong and how, in the order the form shows the fields.

import type { Language } from "../../lib/bindings";
import { describeError, translate, type ErrorText, type Params, type UiError } from "../../lib/i18n";
import { LIMITS, type FieldIssue } from "../../lib/validation";
import { COMPOSE_FIELDS, type AddressCheck, type ComposeField } from "../../lib/compose";

/** The limits an error's text may name, by field. */
export const PARAMS: Partial<Record<ComposeField, Params>> = {
  subject: { max: LIMITS.subject },
  to: { max: LIMITS.contactEmail },
  cc: { max: LIMITS.contactEmail },
  bcc: { max: LIMITS.contactEmail },
};

/** The element that takes the focus when a field is wrong. */
export const FOCUS_ID: Record<ComposeField, string> = {
  company: "compose-company",
  account: "compose-account",
  to: "compose-to",
  cc: "compose-cc",
  bcc: "compose-bcc",
  subject: "compose-subject",
  body: "compose-body",
  attachments: "compose-attach",
};

/** What the checks look at: the page works these out as the draft changes. */
export interface DraftFacts {
  /** The company select's value; "" for none. */
  company: string;
  /** The account select's value; "" until the accounts are loaded. */
  account: string;
  to: AddressCheck;
  cc: AddressCheck;
  bcc: AddressCheck;
  subjectIssue: FieldIssue | null;
  /** All attachments together weigh more than the limit. */
  tooLarge: boolean;
  /** The limit, as shown ("25 MB"). */
  limitText: string;
  /** "Her alıcıya ayrı gönder" is ticked. */
  separate: boolean;
  /** "Cc/Bcc her iletiye eklensin" is ticked. */
  copiesEach: boolean;
}

/**
 * A separate send to several To addresses with Cc or Bcc gives each Cc/Bcc address a
 * copy of every message: the backend refuses it (compose.copies_each) unless the box
 * says so.
 */
export function copiesEachMissing(draft: DraftFacts): boolean {
  return (
    draft.separate &&
    !draft.copiesEach &&
    draft.to.addresses.length > 1 &&
    draft.cc.addresses.length + draft.bcc.addresses.length > 0
  );
}

/** What is wrong with one field of the draft, or null. */
export function clientIssue(field: ComposeField, draft: DraftFacts): UiError | null {
  switch (field) {
    case "company":
      return draft.company === "" ? { code: "validation.required", field } : null;
    case "account":
      return draft.account === "" ? { code: "validation.required", field } : null;
    case "to":
    case "cc":
    case "bcc": {
      const check = draft[field];
      if (check.issue) return { ...check.issue, field };
      if (field === "to" && check.addresses.length === 0) {
        return { code: "outbox.no_recipients", field };
      }
      // Shown on Cc whichever of Cc and Bcc holds the addresses; the count of messages
      // is the detail, as in the backend's answer.
      if (field === "cc" && copiesEachMissing(draft)) {
        return { code: "compose.copies_each", field, detail: String(draft.to.addresses.length) };
      }
      return null;
    }
    case "subject":
      return draft.subjectIssue ? { ...draft.subjectIssue, field } : null;
    case "body":
      return null;
    case "attachments":
      return draft.tooLarge
        ? { code: "outbox.attachments_too_large", field, detail: draft.limitText }
        : null;
  }
}

/** The first field that is wrong, in the form's order. */
export function firstIssue(draft: DraftFacts): UiError | null {
  for (const field of COMPOSE_FIELDS) {
    const issue = clientIssue(field, draft);
    if (issue) return issue;
  }
  return null;
}

/**
 * The words under a field for one of these issues: the error's own, except that a
 * missing "Cc/Bcc her iletiye eklensin" says in one line what to do (the alert above
 * Send keeps the error's own words).
 */
export function issueText(lang: Language, issue: UiError): ErrorText {
  if (issue.code === "compose.copies_each") {
    return { message: translate(lang, "compose.copiesEachWarning"), hint: null };
  }
  return describeError(lang, issue);
}
