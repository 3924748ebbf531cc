import { describe, expect, it } from "vitest";
import type { Connection, Integration } from "./bindings";
import { translate } from "./i18n";
import {
  MEETING_KINDS,
  emptyEventForm,
  eventErrorField,
  eventParams,
  formFromPrefill,
  localMinutes,
  meetingChoices,
  meetingNotes,
  splitAddresses,
  teamsState,
  toEventInput,
  toLocalInput,
  validateEvent,
  zoomState,
  type EventForm,
} from "./calendar";
import { LIMITS } from "./validation";

const good: EventForm = {
  title: "Öztürk Gıda — teklif görüşmesi",
  start: "2026-12-10T14:30",
  minutes: "45",
  location: "Kadıköy, İstanbul",
  description: "Şubat teklifi\nfiyatlar",
  attendees: "sukru@ozturkgida.com.tr, ayşe@örnek.com.tr",
  reminder: "30",
  meeting: "zoom",
};

describe("times", () => {
  it("reads local times, refusing days that do not exist", () => {
    expect(localMinutes("2026-12-10T14:30")).not.toBeNull();
    expect(localMinutes("2026-12-10T14:30:15")).not.toBeNull();
    expect(localMinutes("2026-02-31T10:00")).toBeNull();
    expect(localMinutes("2026-12-10 14:30")).toBeNull();
    expect(localMinutes("2026-12-10T24:00")).toBeNull();
    expect(localMinutes("")).toBeNull();
    expect(localMinutes("2026-12-10T15:15")! - localMinutes("2026-12-10T14:30")!).toBe(45);
  });

  it("gives a datetime-local input its YYYY-MM-DDTHH:MM", () => {
    expect(toLocalInput("2026-12-10T14:30:00")).toBe("2026-12-10T14:30");
    expect(toLocalInput("2026-12-10T14:30")).toBe("2026-12-10T14:30");
    expect(toLocalInput("yarın")).toBe("");
    expect(toLocalInput(undefined)).toBe("");
  });
});

describe("the proposal", () => {
  it("fills the form: addresses joined, the first reminder, the duration", () => {
    const { form, timeZone } = formFromPrefill({
      title: "Öztürk Gıda",
      start: "2026-12-10T10:00:00",
      durationMinutes: 30,
      timeZone: "Europe/Istanbul",
      attendees: ["a@firma.com.tr", "b@firma.com.tr"],
      reminders: [15, 60],
      meeting: "meet",
    });
    expect(form).toEqual({
      title: "Öztürk Gıda",
      start: "2026-12-10T10:00",
      minutes: "30",
      location: "",
      description: "",
      attendees: "a@firma.com.tr, b@firma.com.tr",
      reminder: "15",
      meeting: "meet",
    });
    expect(timeZone).toBe("Europe/Istanbul");
  });

  it("takes the duration from the end, else an hour; no reminders, none", () => {
    const fromEnd = formFromPrefill({ start: "2026-12-10T10:00", end: "2026-12-10T11:30" });
    expect(fromEnd.form.minutes).toBe("90");
    expect(fromEnd.form.reminder).toBe("");
    expect(fromEnd.timeZone).toBe("");
    expect(formFromPrefill({}).form).toEqual(emptyEventForm());
    expect(emptyEventForm().meeting).toBe("none");
  });
});

describe("validateEvent", () => {
  it("finds nothing wrong with a good form", () => {
    expect(validateEvent(good)).toEqual({});
    expect(validateEvent({ ...good, attendees: "", reminder: "", location: "" })).toEqual({});
  });

  it("needs a one-line title within the limit, and a start", () => {
    const issues = validateEvent({ ...good, title: " ", start: "" });
    expect(issues.title?.code).toBe("validation.required");
    expect(issues.start?.code).toBe("validation.required");
    expect(validateEvent({ ...good, title: "a\nb" }).title?.code).toBe("validation.control_chars");
    expect(validateEvent({ ...good, title: "x".repeat(LIMITS.eventTitle + 1) }).title?.code).toBe(
      "validation.too_long",
    );
    expect(validateEvent({ ...good, start: "2026-02-30T10:00" }).start?.code).toBe(
      "calendar.bad_time",
    );
  });

  it("names the address that is not one", () => {
    expect(validateEvent({ ...good, attendees: "a@firma.com.tr ali@ b@firma.com.tr" }).attendees).toEqual({
      code: "validation.email",
      detail: "ali@",
    });
  });

  it("keeps the duration and the reminder in range", () => {
    expect(validateEvent({ ...good, minutes: "0" }).minutes).toEqual({
      code: "validation.range",
      params: { min: 1, max: 20160 },
    });
    expect(validateEvent({ ...good, minutes: "" }).minutes?.code).toBe("validation.required");
    expect(validateEvent({ ...good, minutes: "20161" }).minutes?.code).toBe("validation.range");
    expect(validateEvent({ ...good, minutes: "" }, { minutes: true }).minutes?.code).toBe(
      "validation.range",
    );
    expect(validateEvent({ ...good, reminder: "0" }).reminder).toBeUndefined();
    expect(validateEvent({ ...good, reminder: "2.5" }).reminder?.code).toBe("validation.range");
    expect(validateEvent({ ...good, reminder: "" }, { reminder: true }).reminder?.code).toBe(
      "validation.range",
    );
  });

  it("limits the location and the description", () => {
    const long = validateEvent({
      ...good,
      location: "x".repeat(LIMITS.eventLocation + 1),
      description: "x".repeat(LIMITS.notes + 1),
    });
    expect(long.location?.code).toBe("validation.too_long");
    expect(long.description?.code).toBe("validation.too_long");
  });
});

describe("toEventInput", () => {
  it("sends the duration, not an end, the addresses once each, one reminder", () => {
    const input = toEventInput(
      { ...good, title: "  Görüşme ", attendees: "a@x.com.tr,A@x.com.tr;  b@x.com.tr\n" },
      "",
    );
    expect(input).toEqual({
      title: "Görüşme",
      description: "Şubat teklifi\nfiyatlar",
      location: "Kadıköy, İstanbul",
      start: "2026-12-10T14:30",
      end: "",
      durationMinutes: 45,
      timeZone: "",
      attendees: ["a@x.com.tr", "b@x.com.tr"],
      reminders: [30],
      meeting: "zoom",
    });
    expect(toEventInput({ ...good, reminder: "" }, "Europe/Berlin").reminders).toEqual([]);
    expect(splitAddresses(" , ")).toEqual([]);
  });
});

describe("backend errors", () => {
  it("land under the field they are about", () => {
    expect(eventErrorField("title")).toBe("title");
    expect(eventErrorField("end")).toBe("minutes");
    expect(eventErrorField("reminders")).toBe("reminder");
    expect(eventErrorField("attendees")).toBe("attendees");
    expect(eventErrorField("toString")).toBeNull();
    expect(eventErrorField(null)).toBeNull();
    expect(eventParams("title")).toEqual({ max: LIMITS.eventTitle });
    expect(eventParams("reminder")).toEqual({ min: 0, max: 40320 });
    expect(eventParams("start")).toEqual({});
  });
});

describe("the meeting", () => {
  /** The workspace's Zoom integration as saved: its app's keys, the secret stored. */
  function zoom(over: Partial<Integration> = {}): Integration {
    return {
      id: 4,
      workspaceId: 1,
      channel: "meeting",
      provider: "zoom",
      settings: { accountId: "acc", clientId: "cid", host: "" },
      baseUrl: null,
      ratePerSecond: null,
      secretsSet: ["clientSecret"],
      active: true,
      lastError: null,
      createdAt: "",
      updatedAt: "",
      ...over,
    };
  }

  it("offers none, Google Meet, Zoom and Microsoft Teams, none by default, and sends the one chosen", () => {
    expect(MEETING_KINDS).toEqual(["none", "meet", "zoom", "teams"]);
    expect(emptyEventForm().meeting).toBe("none");
    expect(formFromPrefill({ meeting: "zoom" }).form.meeting).toBe("zoom");
    expect(formFromPrefill({ meeting: "teams" }).form.meeting).toBe("teams");
    for (const meeting of MEETING_KINDS) {
      expect(toEventInput({ ...good, meeting }, "").meeting).toBe(meeting);
    }
  });

  it("counts Zoom ready once set up, in error when its last call failed, else missing", () => {
    expect(zoomState([zoom()])).toBe("ready");
    expect(zoomState([zoom({ lastError: { code: "signIn", text: "invalid_client", at: "2026-12-01T09:00:00Z" } })])).toBe("error");
    expect(zoomState([])).toBe("missing");
    expect(zoomState([zoom({ active: false })])).toBe("missing");
    expect(zoomState([zoom({ secretsSet: [] })])).toBe("missing");
    // Another channel's provider of the same name, or another provider, is not Zoom.
    expect(zoomState([zoom({ channel: "chat" })])).toBe("missing");
    expect(zoomState([zoom({ provider: "teams" })])).toBe("missing");
  });

  /** Teams' Microsoft sign-in as teamsStatus answers it. */
  function teams(status: Connection["status"] = "active"): Connection {
    return {
      id: 9,
      workspaceId: 1,
      provider: "microsoft",
      address: "satis@firma.com.tr",
      scopes: ["https://graph.microsoft.com/OnlineMeetings.ReadWrite"],
      expiresAt: null,
      status,
      createdAt: "",
      updatedAt: "",
    };
  }

  it("counts Teams ready once signed in, in error when Microsoft withdrew the grant, else missing", () => {
    expect(teamsState(teams())).toBe("ready");
    expect(teamsState(teams("error"))).toBe("error");
    expect(teamsState(null)).toBe("missing");
  });

  it("greys out a service that is missing, saying why beside its name", () => {
    const choices = meetingChoices({ zoom: "missing", teams: "missing" });
    expect(choices.map((c) => c.kind)).toEqual(MEETING_KINDS);
    expect(Object.fromEntries(choices.map((c) => [c.kind, c.missing]))).toEqual({
      none: null,
      meet: null,
      zoom: "calendar.meeting.notSetUp",
      teams: "calendar.meeting.notConnected",
    });
    expect(translate("tr", "calendar.meeting.notConnected")).toBe("(bağlı değil)");
    expect(translate("en", "calendar.meeting.notConnected")).toBe("(not connected)");
    expect(translate("tr", "calendar.meeting.teams")).toBe("Microsoft Teams");
    // In error, or not known (not read yet, reading failed): it can be chosen.
    for (const state of ["ready", "error", null] as const) {
      expect(meetingChoices({ zoom: state, teams: state }).every((c) => c.missing === null)).toBe(true);
    }
    expect(meetingChoices({ zoom: "ready", teams: "missing" }).filter((c) => c.missing).map((c) => c.kind)).toEqual([
      "teams",
    ]);
  });

  it("notes under the select where to connect what is missing, and what is in error, Zoom's first", () => {
    expect(meetingNotes({ zoom: "ready", teams: "ready" })).toEqual([]);
    expect(meetingNotes({ zoom: null, teams: null })).toEqual([]);
    expect(meetingNotes({ zoom: "missing", teams: "missing" })).toEqual([
      { id: "event-meeting-zoom-missing", key: "calendar.meeting.zoomMissing" },
      { id: "event-meeting-teams-missing", key: "calendar.meeting.teamsMissing" },
    ]);
    expect(meetingNotes({ zoom: "error", teams: "error" })).toEqual([
      { id: "event-meeting-zoom-error", key: "calendar.meeting.zoomError" },
      { id: "event-meeting-teams-error", key: "calendar.meeting.teamsError" },
    ]);
    expect(meetingNotes({ zoom: "ready", teams: "missing" }).map((n) => n.id)).toEqual([
      "event-meeting-teams-missing",
    ]);
    expect(translate("tr", "calendar.meeting.teamsMissing")).toMatch(/Entegrasyonlar › Toplantı/);
  });
});
