// Pure helpers for WhatsApp Gönder: the form, its checks (the backend's codes, as
// ulak-channels' whatsapp/mod.rs makes them, shown while typing) and what a send (to one
// number or several) takes. The bulk send's recipients are ./recipients' (shared with
// SMS Gönder).

import type { Content, WhatsappBulkInput, WhatsappInput } from "./bindings";
import { sentNumbers, validateRecipients } from "./recipients";
import { LIMITS, charCount, validatePhone, validateText, type FieldIssue } from "./validation";

export { LIMITS };

/** An approved template (goes any time) or free text (only inside the 24-hour window). */
export type WhatsappMode = "template" | "text";

export interface WhatsappForm {
  /** The provider set up under Entegrasyonlar (`meta`, `twilio`); "" for Test kutusu. */
  provider: string;
  /** The company's id as text; "" for none. */
  company: string;
  to: string;
  mode: WhatsappMode;
  /** Meta's template name, or Twilio's Content SID (HX…). */
  template: string;
  language: string;
  /** The values of the template's {{1}}, {{2}}… in order. */
  params: string[];
  text: string;
}

/** Where the form shows errors: the backend's `field` names for them too. */
export const WHATSAPP_FIELDS = ["to", "text", "template", "language", "params"] as const;
export type WhatsappField = (typeof WHATSAPP_FIELDS)[number];
export type WhatsappIssues = Partial<Record<WhatsappField, FieldIssue>>;

export function isWhatsappField(field: string | null | undefined): field is WhatsappField {
  return typeof field === "string" && (WHATSAPP_FIELDS as readonly string[]).includes(field);
}

/** The provider whose templates are Content SIDs; the others take Meta's names. */
export const TWILIO = "twilio";

/** The backend's limit on a language code's length. */
export const LANGUAGE_MAX = 16;

export const emptyWhatsappForm = (): WhatsappForm => ({
  provider: "",
  company: "",
  to: "",
  mode: "template",
  template: "",
  language: "tr",
  params: [],
  text: "",
});

// Control characters other than a line break (the backend keeps \n, refuses the rest).
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

/** Meta's template names: lower-case letters, digits and underscores. */
const META_TEMPLATE = /^[a-z0-9_]+$/;
/** Twilio's Content SIDs: `HX` and 32 hex digits. */
const TWILIO_SID = /^HX[0-9a-fA-F]{32}$/;
/** `tr`, `en`, `en_US`, `pt_BR`: the codes WhatsApp templates are approved in. */
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** The text as it is sent: Windows line breaks as \n, trimmed. */
export function normalizedText(value: string): string {
  return value.replace(/\r\n/g, "\n").trim();
}

/** The longest free text the provider sends: Twilio's Body is shorter than Meta's. */
export function textMax(provider: string): number {
  return provider === "twilio" ? LIMITS.whatsappTwilioText : LIMITS.whatsappText;
}

/** Free text: line breaks allowed, nothing else invisible, at most `max` characters. */
export function validateWhatsappText(value: string, max: number = LIMITS.whatsappText): FieldIssue | null {
  const v = value.replace(/\r\n/g, "\n");
  if (CONTROL_BUT_NEWLINE.test(v)) return { code: "validation.control_chars" };
  const trimmed = v.trim();
  if (trimmed === "") return { code: "validation.required" };
  if (charCount(trimmed) > max) {
    return { code: "validation.too_long", params: { max } };
  }
  return null;
}

/** The kind of template name the provider takes; the test box ("") takes either. */
export function templateKind(provider: string): "meta" | "twilio" | "any" {
  if (provider === "") return "any";
  return provider === TWILIO ? "twilio" : "meta";
}

export function validateTemplateName(value: string, provider: string): FieldIssue | null {
  const issue = validateText(value, { max: LIMITS.whatsappTemplate, required: true });
  if (issue) return issue;
  const name = value.trim();
  const kind = templateKind(provider);
  const fits =
    kind === "twilio"
      ? TWILIO_SID.test(name)
      : kind === "meta"
        ? META_TEMPLATE.test(name)
        : META_TEMPLATE.test(name) || TWILIO_SID.test(name);
  return fits ? null : { code: "whatsapp.template_name" };
}

export function validateLanguage(value: string): FieldIssue | null {
  const issue = validateText(value, { max: LANGUAGE_MAX, required: true });
  if (issue) return issue;
  return LANGUAGE.test(value.trim()) ? null : { code: "whatsapp.language" };
}

/** One parameter: one line (no line breaks or tabs), not blank, at most LIMITS.whatsappParam. */
export function validateParam(value: string): FieldIssue | null {
  return validateText(value, { max: LIMITS.whatsappParam, required: true });
}

/** Each parameter's issue, by position (null where it is fine). */
export function paramIssues(params: readonly string[]): (FieldIssue | null)[] {
  return params.map(validateParam);
}

/** Too many parameters, else the first parameter's issue. */
export function validateParams(params: readonly string[]): FieldIssue | null {
  if (params.length > LIMITS.whatsappParams) {
    return { code: "whatsapp.too_many_params", params: { max: LIMITS.whatsappParams } };
  }
  return paramIssues(params).find((i) => i !== null) ?? null;
}

export function validateWhatsapp(form: WhatsappForm): WhatsappIssues {
  const to = form.to.trim() === "" ? { code: "validation.required" as const } : validatePhone(form.to);
  return withContentIssues(to ? { to } : {}, form);
}

/**
 * The bulk form's checks: at least one recipient (`validation.required`) and no pasted
 * line that is not a number (`badCount`), then the message as `validateWhatsapp` checks
 * it; `form.to` is not looked at.
 */
export function validateWhatsappBulk(
  recipients: readonly string[],
  badCount: number,
  form: WhatsappForm,
): WhatsappIssues {
  const to = validateRecipients(recipients, badCount);
  return withContentIssues(to ? { to } : {}, form);
}

/** The message's issues (the text, or the template, its language and parameters) added. */
function withContentIssues(issues: WhatsappIssues, form: WhatsappForm): WhatsappIssues {
  if (form.mode === "text") {
    const text = validateWhatsappText(form.text, textMax(form.provider));
    if (text) issues.text = text;
    return issues;
  }
  const template = validateTemplateName(form.template, form.provider);
  if (template) issues.template = template;
  const language = validateLanguage(form.language);
  if (language) issues.language = language;
  const params = validateParams(form.params);
  if (params) issues.params = params;
  return issues;
}

/**
 * The limit a backend error about `field` speaks of (fills `{max}` in its words): the
 * number of parameters for too_many_params, else the field's length.
 */
export function fieldMax(field: WhatsappField, code: string, provider = ""): number {
  switch (field) {
    case "to":
      return LIMITS.phone;
    case "text":
      return textMax(provider);
    case "template":
      return LIMITS.whatsappTemplate;
    case "language":
      return LANGUAGE_MAX;
    case "params":
      return code === "whatsapp.too_many_params" ? LIMITS.whatsappParams : LIMITS.whatsappParam;
  }
}

/** The provider `sendWhatsapp` takes: null for Test kutusu. */
export function whatsappProvider(form: Pick<WhatsappForm, "provider">): string | null {
  return form.provider === "" ? null : form.provider;
}

/** What the form sends: the provider goes beside the input (`sendWhatsapp(input, provider)`). */
export function toWhatsappInput(form: WhatsappForm, idempotencyKey: string | null): WhatsappInput {
  return {
    companyId: companyIdOf(form),
    to: form.to.trim(),
    content: contentOf(form),
    idempotencyKey,
  };
}

/**
 * What a bulk send sends (`sendWhatsappBulk(input, provider)`): the company, the numbers
 * (trimmed, blanks dropped), and the one message every number gets, built as the single
 * send builds it (a template's parameters the same for all); `form.to` is not sent.
 */
export function toWhatsappBulkInput(
  form: WhatsappForm,
  to: readonly string[],
  idempotencyKey: string | null,
): WhatsappBulkInput {
  return {
    companyId: companyIdOf(form),
    to: sentNumbers(to),
    content: contentOf(form),
    idempotencyKey,
  };
}

function companyIdOf(form: Pick<WhatsappForm, "company">): number | null {
  return /^\d+$/.test(form.company) ? Number(form.company) : null;
}

/** The message: the text normalized, or the template, its language and parameters trimmed. */
function contentOf(form: WhatsappForm): Content {
  return form.mode === "text"
    ? { type: "text", body: normalizedText(form.text) }
    : {
        type: "template",
        name: form.template.trim(),
        language: form.language.trim(),
        params: form.params.map((p) => p.trim()),
      };
}

/** What parameter `index` (from 0) fills in the template: `{{1}}`, `{{2}}`… */
export function slotToken(index: number): string {
  return `{{${index + 1}}}`;
}

/** The list without the parameter at `index`. */
export function withoutParam(params: readonly string[], index: number): string[] {
  return params.filter((_, i) => i !== index);
}
