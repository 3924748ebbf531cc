// Otomasyonlar' inline editor without Svelte: a rule as a form (every action's fields
// as typed), checked while typing as ulak-crm's automations::check checks on save, what
// it saves, and where a save's error belongs in it.

import { LIMITS, type Automation, type AutomationAction, type AutomationInput } from "./bindings";
import { isAutomationEvent, type ActionKind } from "./automations";
import { SANDBOX } from "./compose";
import type { UiError } from "./i18n";
import { validateText, type FieldIssue } from "./validation";
import { validateLanguage, validateParam, validateTemplateName } from "./whatsapp";

// Limits as ulak-crm's automations::check has them.
export const NAME_MAX = 120;
export const EMAIL_TEMPLATE_MAX = 120;
export const SMS_TEXT_MAX = 1600;
export const WHATSAPP_TEMPLATE_MAX = LIMITS.whatsappTemplate;
export const LANGUAGE_MAX = 15;
/** Minutes before the start a WhatsApp reminder may go: a week at most. */
export const BEFORE_RANGE = { min: 0, max: 10080 } as const;

/** One action as typed: every kind's fields (only its own kind's are used). */
export interface ActionForm {
  /** Stable while the list changes (for the keyed list and focus). */
  key: number;
  kind: ActionKind;
  /** E-mail: the saved template's name; WhatsApp: the approved template's name. */
  template: string;
  /** E-mail: an account's id as text, or SANDBOX. */
  account: string;
  /** SMS, WhatsApp: the provider, "" for the test box. */
  provider: string;
  text: string;
  language: string;
  /** WhatsApp's parameters, one a line. */
  params: string;
  /** Minutes before the start as typed ("" for at once), and the input's badInput. */
  before: string;
  beforeBad: boolean;
  /** A Google E-Tablolar row: the spreadsheet's address or id, and the sheet ("" for its first). */
  spreadsheet: string;
  sheet: string;
}

export interface RuleForm {
  name: string;
  event: string;
  actions: ActionForm[];
}

export function newAction(kind: ActionKind, key: number): ActionForm {
  return {
    key,
    kind,
    template: "",
    account: SANDBOX,
    provider: "",
    text: "",
    language: kind === "whatsapp" ? "tr" : "",
    params: "",
    before: "",
    beforeBad: false,
    spreadsheet: "",
    sheet: "",
  };
}

export function actionForm(action: AutomationAction, key: number): ActionForm {
  const form = newAction(action.kind, key);
  switch (action.kind) {
    case "email":
      form.template = action.template;
      form.account = action.accountId === null ? SANDBOX : String(action.accountId);
      break;
    case "sms":
      form.provider = action.provider ?? "";
      form.text = action.text;
      break;
    case "whatsapp":
      form.provider = action.provider ?? "";
      form.template = action.template;
      form.language = action.language;
      form.params = action.params.join("\n");
      form.before = action.beforeMinutes === null ? "" : String(action.beforeMinutes);
      break;
    case "sheetRow":
      form.spreadsheet = action.spreadsheet;
      form.sheet = action.sheet ?? "";
      break;
  }
  return form;
}

/** The form for a rule as stored; `key` numbers its actions. */
export function ruleForm(
  automation: Pick<Automation, "name" | "event" | "actions">,
  key: () => number,
): RuleForm {
  return {
    name: automation.name,
    event: automation.event,
    actions: automation.actions.map((a) => actionForm(a, key())),
  };
}

/** The parameters as typed: one a line, blank lines left out. */
export function parseParams(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** The minutes as saved: null for "" (at once); NaN for what is not a whole number. */
export function parseBefore(raw: string): number | null {
  const v = raw.trim();
  if (v === "") return null;
  return /^\d+$/.test(v) ? Number(v) : Number.NaN;
}

export function validateBefore(raw: string, badInput = false): FieldIssue | null {
  const value = badInput ? Number.NaN : parseBefore(raw);
  if (value === null) return null;
  if (!Number.isInteger(value) || value < BEFORE_RANGE.min || value > BEFORE_RANGE.max) {
    return { code: "validation.range", params: { ...BEFORE_RANGE } };
  }
  return null;
}

const providerOf = (choice: string): string | null => (choice === "" || choice === SANDBOX ? null : choice);

export function toAction(form: ActionForm): AutomationAction {
  switch (form.kind) {
    case "email":
      return {
        kind: "email",
        template: form.template.trim(),
        accountId: /^\d+$/.test(form.account) ? Number(form.account) : null,
      };
    case "sms":
      return { kind: "sms", provider: providerOf(form.provider), text: form.text.trim() };
    case "whatsapp": {
      const before = parseBefore(form.before);
      return {
        kind: "whatsapp",
        provider: providerOf(form.provider),
        template: form.template.trim(),
        language: form.language.trim(),
        params: parseParams(form.params),
        beforeMinutes: before === null || Number.isNaN(before) ? null : before,
      };
    }
    case "sheetRow":
      return { kind: "sheetRow", spreadsheet: form.spreadsheet.trim(), sheet: form.sheet.trim() || null };
  }
}

export function toInput(form: RuleForm): AutomationInput {
  return { name: form.name.trim(), event: form.event, actions: form.actions.map(toAction) };
}

/** The fields an action's form shows errors under (the backend's names where it has them). */
export type ActionField = "template" | "text" | "language" | "params" | "before";
export type ActionIssues = Partial<Record<ActionField, FieldIssue>>;

export function actionIssues(form: ActionForm): ActionIssues {
  const issues: ActionIssues = {};
  const put = (field: ActionField, issue: FieldIssue | null): void => {
    if (issue) issues[field] = issue;
  };
  switch (form.kind) {
    case "email":
      put("template", validateText(form.template, { max: EMAIL_TEMPLATE_MAX, required: true }));
      break;
    case "sms":
      // The backend keeps it on one line: no line breaks.
      put("text", validateText(form.text, { max: SMS_TEXT_MAX, required: true }));
      break;
    case "whatsapp": {
      put("template", validateTemplateName(form.template, providerOf(form.provider) ?? ""));
      put("language", validateLanguage(form.language));
      const params = parseParams(form.params);
      if (params.length > LIMITS.whatsappParams) {
        put("params", { code: "whatsapp.too_many_params", params: { max: LIMITS.whatsappParams } });
      } else {
        put("params", params.map(validateParam).find((i) => i !== null) ?? null);
      }
      put("before", validateBefore(form.before, form.beforeBad));
      break;
    }
    case "sheetRow":
      break;
  }
  return issues;
}

export interface RuleIssues {
  name?: FieldIssue;
  event?: FieldIssue;
  actions?: FieldIssue;
  /** By the actions' positions. */
  action: ActionIssues[];
}

export function ruleIssues(form: RuleForm): RuleIssues {
  const issues: RuleIssues = { action: form.actions.map(actionIssues) };
  const name = validateText(form.name, { max: NAME_MAX, required: true });
  if (name) issues.name = name;
  if (!isAutomationEvent(form.event)) issues.event = { code: "validation.choice" };
  if (form.actions.length === 0) issues.actions = { code: "validation.required" };
  return issues;
}

export function hasIssues(issues: RuleIssues): boolean {
  return (
    !!issues.name ||
    !!issues.event ||
    !!issues.actions ||
    issues.action.some((a) => Object.keys(a).length > 0)
  );
}

/** Where a save's error belongs in the editor. */
export type ServerTarget =
  | { where: "name" }
  | { where: "event" }
  | { where: "actions" }
  | { where: "action"; index: number; field: ActionField };

/** The action kinds that have a field the backend checks. */
const FIELD_KINDS: Record<string, readonly ActionKind[]> = {
  template: ["email", "whatsapp"],
  text: ["sms"],
  language: ["whatsapp"],
};

/** The backend's check of one action's field, as ulak-crm's automations::check has it. */
function backendRejects(form: ActionForm, field: string): boolean {
  const action = toAction(form);
  const bad = (value: string, max: number): boolean => validateText(value, { max, required: true }) !== null;
  if (field === "template" && action.kind === "email") return bad(form.template, EMAIL_TEMPLATE_MAX);
  if (field === "template" && action.kind === "whatsapp") return bad(form.template, WHATSAPP_TEMPLATE_MAX);
  if (field === "text" && action.kind === "sms") return bad(form.text, SMS_TEXT_MAX);
  if (field === "language" && action.kind === "whatsapp") return bad(form.language, LANGUAGE_MAX);
  return false;
}

/**
 * The editor's field a save's error names: the rule's name, its event (`type`/`event`),
 * its actions, or an action's field — the first action the backend would refuse it for
 * (it checks them in order), else the first that has such a field. Null when none fits.
 */
export function serverTarget(form: RuleForm, field: string | null | undefined): ServerTarget | null {
  if (!field) return null;
  if (field === "name") return { where: "name" };
  if (field === "event" || field === "type") return { where: "event" };
  if (field === "actions") return { where: "actions" };
  const kinds = FIELD_KINDS[field];
  if (!kinds) return null;
  const has = form.actions.map((a) => kinds.includes(a.kind));
  let index = form.actions.findIndex((a, i) => has[i] && backendRejects(a, field));
  if (index < 0) index = has.indexOf(true);
  return index < 0 ? null : { where: "action", index, field: field as ActionField };
}

/** A save's error with the limit its hint names (the backend's limits for a rule). */
export function serverError(err: UiError, target: ServerTarget | null, kind?: ActionKind): UiError {
  if (err.code !== "validation.too_long") return err;
  let max: number | undefined;
  if (target?.where === "name") max = NAME_MAX;
  else if (target?.where === "action") {
    if (target.field === "template") max = kind === "whatsapp" ? WHATSAPP_TEMPLATE_MAX : EMAIL_TEMPLATE_MAX;
    else if (target.field === "text") max = SMS_TEXT_MAX;
    else if (target.field === "language") max = LANGUAGE_MAX;
  }
  return max === undefined ? err : { ...err, params: { max, ...err.params } };
}
