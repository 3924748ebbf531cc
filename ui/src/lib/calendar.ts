// Pure helpers for "Takvime Ekle": the event form's raw values, what the backend's
// proposal fills in, the checks made while typing, the EventInput to send, which field a
// backend error is about, and whether Zoom or Microsoft Teams can make the event's
// meeting (the select's choices and the notes under it).

import type {
  Connection,
  ErrorCode,
  EventInput,
  Integration,
  MeetingKind,
} from "./bindings";
import type { MessageKey } from "./i18n";
import { connectionOf, findIntegration, grantConnection } from "./integrations";
import { specFor } from "./providers";
import { charCount, LIMITS, validateEmail, validateText } from "./validation";

/** The form as typed: numbers stay text until sent (a number input's raw value). */
export interface EventForm {
  title: string;
  /** `YYYY-MM-DDTHH:MM`, a datetime-local input's value, local in the event's zone. */
  start: string;
  /** Duration in minutes. */
  minutes: string;
  location: string;
  description: string;
  /** Addresses separated by commas or spaces. */
  attendees: string;
  /** Minutes before the start; "" for no reminder. */
  reminder: string;
  /** The meeting the event gets: none, Google Meet (made by Google), Zoom or Teams. */
  meeting: MeetingKind;
}

export type EventField =
  | "title"
  | "start"
  | "minutes"
  | "location"
  | "description"
  | "attendees"
  | "reminder";

export const EVENT_FIELDS: readonly EventField[] = [
  "title",
  "start",
  "minutes",
  "location",
  "description",
  "attendees",
  "reminder",
];

/** A problem with one field: the backend's code, the numbers and the value it is about. */
export interface EventIssue {
  code: ErrorCode;
  params?: Record<string, number>;
  detail?: string | null;
}

export type EventIssues = Partial<Record<EventField, EventIssue>>;

/** A duration from a minute to 14 days, as the backend allows. */
export const DURATION_RANGE = { min: 1, max: 20160 } as const;
/** A reminder up to 4 weeks before, as Google allows. */
export const REMINDER_RANGE = { min: 0, max: 40320 } as const;
/** Used when the proposal has neither a duration nor an end. */
export const DEFAULT_MINUTES = 60;
/** The zone an empty `timeZone` means. */
export const DEFAULT_TIME_ZONE = "Europe/Istanbul";

/** Length limits by form field, to fill `{max}` in hints. */
export const EVENT_MAX: Readonly<Partial<Record<EventField, number>>> = {
  title: LIMITS.eventTitle,
  location: LIMITS.eventLocation,
  description: LIMITS.notes,
  attendees: LIMITS.contactEmail,
};

export function emptyEventForm(): EventForm {
  return {
    title: "",
    start: "",
    minutes: String(DEFAULT_MINUTES),
    location: "",
    description: "",
    attendees: "",
    reminder: "",
    meeting: "none",
  };
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Minutes since the epoch of a local `YYYY-MM-DDTHH:MM[:SS]`, or null when it is not one. */
export function localMinutes(value: string): number | null {
  const m = LOCAL_TIME.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => Number(p ?? "0")) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March: such a day does not exist.
  if (new Date(ms).getUTCDate() !== day) return null;
  return Math.floor(ms / 60000);
}

/** The value a datetime-local input takes: `YYYY-MM-DDTHH:MM`; "" when it is not a time. */
export function toLocalInput(value: string | null | undefined): string {
  const v = (value ?? "").trim();
  if (v === "") return "";
  const head = v.slice(0, 16);
  return localMinutes(head) === null ? "" : head;
}

/** Addresses as typed: separated by commas, semicolons, spaces or line breaks. */
export function splitAddresses(raw: string): string[] {
  return raw.split(/[\s,;]+/u).filter((a) => a !== "");
}

/** The form the backend's proposal fills, and the zone its times are in. */
export function formFromPrefill(p: EventInput): { form: EventForm; timeZone: string } {
  const start = toLocalInput(p.start);
  let minutes = p.durationMinutes ?? null;
  if (minutes === null && p.end) {
    const from = localMinutes(start);
    const to = localMinutes(toLocalInput(p.end));
    if (from !== null && to !== null && to > from) minutes = to - from;
  }
  const reminder = p.reminders?.[0];
  return {
    form: {
      title: p.title ?? "",
      start,
      minutes: String(minutes ?? DEFAULT_MINUTES),
      location: p.location ?? "",
      description: p.description ?? "",
      attendees: (p.attendees ?? []).join(", "),
      reminder: reminder === undefined ? "" : String(reminder),
      meeting: p.meeting ?? "none",
    },
    timeZone: p.timeZone ?? "",
  };
}

/** A whole number in `range` from a number input's raw text, or null. */
export function parseWhole(raw: string, range: { min: number; max: number }): number | null {
  const v = raw.trim();
  if (!/^\d{1,9}$/.test(v)) return null;
  const n = Number(v);
  return n >= range.min && n <= range.max ? n : null;
}

function validateWhole(
  raw: string,
  range: { min: number; max: number },
  opts: { required: boolean; badInput: boolean },
): EventIssue | null {
  if (!opts.badInput && raw.trim() === "") {
    return opts.required ? { code: "validation.required" } : null;
  }
  return !opts.badInput && parseWhole(raw, range) !== null
    ? null
    : { code: "validation.range", params: { ...range } };
}

/** `badInput`: a datetime-local filled in halfway (the browser then reports ""). */
export function validateStart(value: string, badInput = false): EventIssue | null {
  if (value.trim() === "") return badInput ? { code: "calendar.bad_time" } : { code: "validation.required" };
  return localMinutes(value) === null ? { code: "calendar.bad_time" } : null;
}

/** Every address must be one; the first that is not is named. */
export function validateAttendees(raw: string): EventIssue | null {
  for (const address of splitAddresses(raw)) {
    const issue = validateEmail(address, { required: true, max: LIMITS.contactEmail });
    if (issue) return { ...issue, detail: address };
  }
  return null;
}

export function validateDescription(value: string): EventIssue | null {
  return charCount(value.trim()) > LIMITS.notes
    ? { code: "validation.too_long", params: { max: LIMITS.notes } }
    : null;
}

/**
 * What is wrong with the form, by field. `badInput` holds the time's and the number
 * inputs' `validity.badInput` (the browser then reports "" for what was typed).
 */
export function validateEvent(
  form: EventForm,
  badInput: { start?: boolean; minutes?: boolean; reminder?: boolean } = {},
): EventIssues {
  const found: [EventField, EventIssue | null][] = [
    ["title", validateText(form.title, { max: LIMITS.eventTitle, required: true })],
    ["start", validateStart(form.start, badInput.start ?? false)],
    [
      "minutes",
      validateWhole(form.minutes, DURATION_RANGE, {
        required: true,
        badInput: badInput.minutes ?? false,
      }),
    ],
    ["location", validateText(form.location, { max: LIMITS.eventLocation, required: false })],
    ["description", validateDescription(form.description)],
    ["attendees", validateAttendees(form.attendees)],
    [
      "reminder",
      validateWhole(form.reminder, REMINDER_RANGE, {
        required: false,
        badInput: badInput.reminder ?? false,
      }),
    ],
  ];
  const issues: EventIssues = {};
  for (const [field, issue] of found) if (issue) issues[field] = issue;
  return issues;
}

/** The event to send (the form checked first): the end follows from the duration. */
export function toEventInput(form: EventForm, timeZone: string): EventInput {
  const seen = new Set<string>();
  const attendees = splitAddresses(form.attendees).filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const reminder = parseWhole(form.reminder, REMINDER_RANGE);
  return {
    title: form.title.trim(),
    description: form.description.trim(),
    location: form.location.trim(),
    start: form.start.trim(),
    end: "",
    durationMinutes: parseWhole(form.minutes, DURATION_RANGE),
    timeZone,
    attendees,
    reminders: reminder === null ? [] : [reminder],
    meeting: form.meeting,
  };
}

const BACKEND_FIELDS: Readonly<Record<string, EventField>> = {
  title: "title",
  start: "start",
  // The form sets the end by the duration.
  end: "minutes",
  durationMinutes: "minutes",
  duration_minutes: "minutes",
  location: "location",
  description: "description",
  attendees: "attendees",
  reminders: "reminder",
};

/** The form field a backend error's `field` is about, or null for none of them. */
export function eventErrorField(field: string | null | undefined): EventField | null {
  return typeof field === "string" && Object.hasOwn(BACKEND_FIELDS, field)
    ? (BACKEND_FIELDS[field] ?? null)
    : null;
}

/** Params to translate a field's issue with: its length limit or its range. */
export function eventParams(field: EventField): Record<string, number> {
  if (field === "minutes") return { ...DURATION_RANGE };
  if (field === "reminder") return { ...REMINDER_RANGE };
  const max = EVENT_MAX[field];
  return max === undefined ? {} : { max };
}

/** The meeting choices, in the select's order. */
export const MEETING_KINDS: readonly MeetingKind[] = ["none", "meet", "zoom", "teams"];

/**
 * Whether a service can make the event's meeting: ready when connected; error when it
 * is in trouble (it may still work, so it can be chosen: the save says why if not);
 * missing when it is not connected (the backend would answer meeting.not_connected, so
 * the choice is offered only once it is).
 */
export type MeetingState = "ready" | "error" | "missing";

/**
 * Zoom's, by the workspace's Zoom integration (set up on Entegrasyonlar › Toplantı): in
 * error when its last call failed; missing when it is not saved, turned off or lacks
 * its secret.
 */
export function zoomState(items: readonly Integration[]): MeetingState {
  const state = connectionOf(specFor("meeting", "zoom"), findIntegration(items, "meeting", "zoom"));
  return state === "connected" ? "ready" : state === "error" ? "error" : "missing";
}

/**
 * Microsoft Teams', by its Microsoft sign-in (connected on Entegrasyonlar › Toplantı):
 * in error when Microsoft withdrew the grant; missing when none is connected.
 */
export function teamsState(status: Connection | null): MeetingState {
  const state = grantConnection(status);
  return state === "connected" ? "ready" : state === "error" ? "error" : "missing";
}

/** The services that must be connected first; null while not known (not read, or failed). */
export interface MeetingStates {
  zoom: MeetingState | null;
  teams: MeetingState | null;
}

/** A choice of the meeting select: greyed out, with why beside its name, when missing. */
export interface MeetingChoice {
  kind: MeetingKind;
  /** What its name is followed by while it cannot be chosen; null when it can. */
  missing: MessageKey | null;
}

/**
 * The select's choices. A service not known to be missing is offered (reading it
 * failed: the save says why if it is not connected); Zoom is "not set up" (keys),
 * Teams "not connected" (a sign-in).
 */
export function meetingChoices(states: MeetingStates): MeetingChoice[] {
  return MEETING_KINDS.map((kind) => ({
    kind,
    missing:
      kind === "zoom" && states.zoom === "missing"
        ? "calendar.meeting.notSetUp"
        : kind === "teams" && states.teams === "missing"
          ? "calendar.meeting.notConnected"
          : null,
  }));
}

/**
 * The notes under the select, Zoom's then Teams': where to connect one that is missing,
 * and that one in error may fail. Ids `event-meeting-{zoom|teams}-{missing|error}`.
 */
export function meetingNotes(states: MeetingStates): { id: string; key: MessageKey }[] {
  const notes: { id: string; key: MessageKey }[] = [];
  for (const kind of ["zoom", "teams"] as const) {
    const state = states[kind];
    if (state === "missing" || state === "error") {
      notes.push({
        id: `event-meeting-${kind}-${state}`,
        key: `calendar.meeting.${kind}${state === "missing" ? "Missing" : "Error"}`,
      });
    }
  }
  return notes;
}
