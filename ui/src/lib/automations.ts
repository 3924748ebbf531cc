// Otomasyonlar without Svelte: the CRM events a rule follows and its actions in words,
// a run's outcome in words, what stands in a rule's way (a template not saved, a
// provider not set up, a spreadsheet not named, Google E-Tablolar not connected), the test event's sample JSON, and the address a CRM on this
// computer posts its events to. The inline editor's form is ./automation-form.

import type { Account, AutomationAction, AutomationActionRun, EventEmitted, Language } from "./bindings";
import { describeError, dictionaries, errorLine, lookup, translate, type MessageKey } from "./i18n";
import { SANDBOX } from "./compose";
import type { Connection } from "./integrations";
import { SPECS, words } from "./providers";
import { spreadsheetId } from "./sheets";

// ---- Events and actions ----------------------------------------------------------------

/** The CRM events a rule can follow (ulak-crm's automations::EVENTS). */
export const AUTOMATION_EVENTS = ["deal.created", "quote.sent", "meeting.scheduled", "invoice.paid"] as const;
export type AutomationEvent = (typeof AUTOMATION_EVENTS)[number];

export function isAutomationEvent(value: string): value is AutomationEvent {
  return (AUTOMATION_EVENTS as readonly string[]).includes(value);
}

const EVENT_KEYS: Record<AutomationEvent, MessageKey> = {
  "deal.created": "automations.event.dealCreated",
  "quote.sent": "automations.event.quoteSent",
  "meeting.scheduled": "automations.event.meetingScheduled",
  "invoice.paid": "automations.event.invoicePaid",
};

/** An event type in words ("Teklif gönderildi"); an unknown one as it is. */
export function eventLabel(event: string, lang: Language): string {
  return isAutomationEvent(event) ? translate(lang, EVENT_KEYS[event]) : event;
}

export type ActionKind = AutomationAction["kind"];
/** The kinds of action, in the add-action chooser's order. */
export const ACTION_KINDS: readonly ActionKind[] = ["email", "sms", "whatsapp", "sheetRow"];

export function isActionKind(value: string): value is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(value);
}

/** An action's kind in words ("E-posta", "Google E-Tablolar satırı"); an unknown one as it is. */
export function kindLabel(kind: string, lang: Language): string {
  return isActionKind(kind) ? translate(lang, `automations.kind.${kind}`) : kind;
}

/** The variables an SMS text and WhatsApp parameters may use (ulak-outbox's template Vars). */
export const AUTOMATION_VARIABLES = [
  "company.name",
  "contact.name",
  "contact.first_name",
  "contact.last_name",
  "contact.email",
  "contact.phone",
  "sender.name",
  "sender.email",
  "today",
  "record.title",
  "record.number",
  "record.amount",
  "record.start",
  "record.start_time",
  "record.url",
] as const;

/** A variable's label: E-posta Oluştur's words where it has them, else the page's own. */
export function variableLabel(name: string, lang: Language): string {
  const messages = dictionaries[lang];
  return lookup(messages, `compose.vars.${name}`) ?? lookup(messages, `automations.vars.${name}`) ?? name;
}

export function variableToken(name: string): string {
  return `{{ ${name} }}`;
}

// ---- An action in words ----------------------------------------------------------------

/** A provider by its name ("Twilio", "WhatsApp Cloud API (Meta)"); null is the test box. */
export function providerName(channel: "sms" | "whatsapp", provider: string | null, lang: Language): string {
  if (provider === null || provider === "" || provider === SANDBOX) {
    return translate(lang, "automations.summary.sandbox");
  }
  const spec = SPECS.find((s) => s.channel === channel && s.provider === provider);
  return spec ? words(spec.name, lang) : provider;
}

/** The account an e-mail goes from: its address, the test box, or "hesap #3" when gone. */
export function accountName(
  accountId: number | null,
  accounts: readonly Pick<Account, "id" | "email">[],
  lang: Language,
): string {
  if (accountId === null) return translate(lang, "automations.summary.sandbox");
  const account = accounts.find((a) => a.id === accountId);
  return account ? account.email : translate(lang, "automations.summary.account", { id: accountId });
}

/** When a WhatsApp reminder goes: at once, at the start, or so long before it. */
export function whenText(before: number | null, event: string, lang: Language): string {
  if (before === null) return translate(lang, "automations.summary.now");
  if (before === 0) return translate(lang, "automations.summary.atStart");
  return event === "meeting.scheduled"
    ? translate(lang, "automations.summary.beforeMeeting", { minutes: before })
    : translate(lang, "automations.summary.beforeStart", { minutes: before });
}

/** At most `max` characters on one line, with "…" when cut. */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, Math.max(max - 1, 1)).join("")}…`;
}

export interface SummaryContext {
  accounts: readonly Pick<Account, "id" | "email">[];
  /** The rule's event (a reminder is "before the meeting" for meetings). */
  event: string;
  lang: Language;
}

/** One action in words, e.g. "E-posta: «Teklif» şablonu, hesap: Test kutusu". */
export function actionSummary(action: AutomationAction, ctx: SummaryContext): string {
  const { lang } = ctx;
  switch (action.kind) {
    case "email": {
      const account = accountName(action.accountId, ctx.accounts, lang);
      const template = action.template.trim();
      return template === ""
        ? translate(lang, "automations.summary.emailNoTemplate", { account })
        : translate(lang, "automations.summary.email", { template, account });
    }
    case "sms":
      return translate(lang, "automations.summary.sms", {
        provider: providerName("sms", action.provider, lang),
        text: shorten(action.text, 80),
      });
    case "whatsapp":
      return translate(lang, "automations.summary.whatsapp", {
        template: action.template.trim(),
        language: action.language.trim(),
        when: whenText(action.beforeMinutes, ctx.event, lang),
        provider: providerName("whatsapp", action.provider, lang),
      });
    case "sheetRow": {
      const spreadsheet = action.spreadsheet.trim();
      if (spreadsheet === "") return translate(lang, "automations.summary.sheetRowNoSpreadsheet");
      // No sheet named: the spreadsheet's first (ulak-api's sheets::queue_row).
      const sheet = action.sheet?.trim() ?? "";
      return sheet === ""
        ? translate(lang, "automations.summary.sheetRowFirst", { spreadsheet: shorten(spreadsheet, 60) })
        : translate(lang, "automations.summary.sheetRow", { spreadsheet: shorten(spreadsheet, 60), sheet });
    }
  }
}

// ---- What stands in a rule's way ------------------------------------------------------

/** What the page knows of the workspace; null for a list that could not be read. */
export interface Readiness {
  templates: readonly string[] | null;
  accounts: readonly Pick<Account, "id" | "email">[] | null;
  /** The SMS and WhatsApp providers set up (saved and active). */
  sms: readonly string[] | null;
  whatsapp: readonly string[] | null;
  /** Google E-Tablolar' account (grantConnection); null or left out when not read. */
  sheets?: Connection | null;
}

/**
 * Why an action would not go as it stands: a template not saved under its name, an
 * account gone, a provider not set up, a row's spreadsheet not named (or not one), Google
 * E-Tablolar not connected. Nothing is said about what is not known (a list not read).
 */
export function actionWarning(action: AutomationAction, ready: Readiness, lang: Language): string | null {
  switch (action.kind) {
    case "email": {
      const template = action.template.trim();
      if (ready.templates && template !== "" && !ready.templates.includes(template)) {
        return translate(lang, "automations.warn.template", { template });
      }
      const id = action.accountId;
      if (ready.accounts && id !== null && !ready.accounts.some((a) => a.id === id)) {
        return translate(lang, "automations.warn.account");
      }
      return null;
    }
    case "sms":
    case "whatsapp": {
      const list = action.kind === "sms" ? ready.sms : ready.whatsapp;
      if (list && action.provider !== null && !list.includes(action.provider)) {
        return translate(lang, "automations.warn.provider", {
          provider: providerName(action.kind, action.provider, lang),
        });
      }
      return null;
    }
    case "sheetRow": {
      const spreadsheet = action.spreadsheet.trim();
      if (spreadsheet === "") return translate(lang, "automations.warn.sheetEmpty");
      if (spreadsheetId(spreadsheet) === null) return translate(lang, "automations.warn.sheetBad");
      if (ready.sheets === "not_connected" || ready.sheets === "error") {
        return translate(lang, "automations.warn.sheetsNotConnected");
      }
      return null;
    }
  }
}

// ---- Runs ------------------------------------------------------------------------------

export const OUTCOMES = ["queued", "partial", "failed"] as const;

/** A run's outcome in words; an unknown one as it is. */
export function outcomeLabel(outcome: string, lang: Language): string {
  return (OUTCOMES as readonly string[]).includes(outcome)
    ? translate(lang, `automations.runs.${outcome as (typeof OUTCOMES)[number]}`)
    : outcome;
}

/** "#41, #42": the messages an action queued. */
export function messageIds(ids: readonly number[]): string {
  return ids.map((id) => `#${id}`).join(", ");
}

/** One action's outcome in a run: what it queued, or the words for why it did not. */
export function actionRunText(run: AutomationActionRun, lang: Language): string {
  if (run.ok) {
    return run.messageIds.length > 0
      ? translate(lang, "automations.runs.actionQueued", { ids: messageIds(run.messageIds) })
      : translate(lang, "automations.runs.actionQueuedNone");
  }
  const code = run.code ?? "internal";
  // A reminder before the start, for an event that gave none.
  if (run.kind === "whatsapp" && code === "validation.required") {
    return translate(lang, "automations.runs.noStart");
  }
  return errorLine(describeError(lang, { code, message: code }));
}

/** The test result's outcome: "duplicate", "none" (no rule followed), else the first run's. */
export function testOutcome(emitted: EventEmitted): string {
  if (emitted.duplicate) return "duplicate";
  return emitted.runs[0]?.run.outcome ?? "none";
}

// ---- The test event ----------------------------------------------------------------------

const pad = (n: number): string => String(n).padStart(2, "0");

/** A time as local "YYYY-MM-DD HH:MM" (what the backend reads in the event's time zone). */
export function localStamp(d: Date): string {
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A new event id, so a test is not taken for one sent before: "deneme-…". */
export function freshEventId(now: number = Date.now(), random: () => number = Math.random): string {
  const tail = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return `deneme-${now.toString(36)}-${tail}`;
}

const SAMPLE_CONTACT = { name: "Işıl Öztürk", email: "isil@ornek.com.tr", phone: "0532 123 45 67" };
const SAMPLE_COMPANY = { name: "Öztürk Gıda" };

/**
 * A sample event of the type, with Turkish sample data, as a CRM would send it; a
 * meeting starts two hours from `now`, in local time (`timeZone`: this computer's, when
 * known, so the backend reads it as meant).
 */
export function sampleEvent(type: AutomationEvent, id: string, now: Date, timeZone?: string): string {
  let data: Record<string, unknown>;
  switch (type) {
    case "deal.created":
      data = {
        title: "Soğuk hava deposu projesi",
        number: "FRS-2026-042",
        amount: "185.000 TL",
      };
      break;
    case "quote.sent":
      data = {
        number: "TKL-2026-117",
        title: "Soğutma dolapları teklifi",
        amount: "248.500 TL",
      };
      break;
    case "meeting.scheduled":
      data = {
        title: "Ürün tanıtım toplantısı",
        start: localStamp(new Date(now.getTime() + 2 * 60 * 60 * 1000)),
        ...(timeZone ? { timeZone } : {}),
      };
      break;
    case "invoice.paid":
      data = {
        number: "FTR-2026-0318",
        title: "Kasım ayı faturası",
        amount: "48.750 TL",
      };
      break;
  }
  const event = {
    type,
    id,
    data: { ...data, company: { ...SAMPLE_COMPANY }, contact: { ...SAMPLE_CONTACT } },
  };
  return JSON.stringify(event, null, 2);
}

/** The event's type as typed in the JSON, when it is one of the four. */
export function eventTypeOf(json: string): AutomationEvent | null {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const type = (value as { type?: unknown }).type;
      if (typeof type === "string" && isAutomationEvent(type)) return type;
    }
  } catch {
    // not JSON (yet)
  }
  return null;
}

/** The JSON with another "id" (the rest as typed); null when it is not a JSON object. */
export function withEventId(json: string, id: string): string | null {
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return null;
    return JSON.stringify({ ...(value as Record<string, unknown>), id }, null, 2);
  } catch {
    return null;
  }
}

// ---- The CRM's address -----------------------------------------------------------------

/** Where a CRM on this computer posts its events; null without a port. */
export function endpointUrl(port: number | null | undefined): string | null {
  return port ? `http://127.0.0.1:${port}/events` : null;
}

/** An example request: the token when shown, else a stand-in; so for the port. */
export function curlLine(port: number | null | undefined, token: string | null, lang: Language): string {
  const url =
    endpointUrl(port) ?? `http://127.0.0.1:${translate(lang, "automations.connect.portStandIn")}/events`;
  const bearer = token ?? translate(lang, "automations.connect.tokenStandIn");
  const file = translate(lang, "automations.connect.fileName");
  const headers = `-H "Authorization: Bearer ${bearer}" -H "Content-Type: application/json"`;
  return `curl -X POST ${url} ${headers} --data @${file}`;
}

/** The command line's way to send the same event. */
export function cliLine(lang: Language): string {
  return `ulak event emit quote.sent --json ${translate(lang, "automations.connect.fileName")}`;
}
