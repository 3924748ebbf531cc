import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection, Event, EventInput } from "../bindings";
import { CalendarStore } from "./calendar.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  calendarStatus: vi.fn(),
  beginCalendarConnect: vi.fn(),
  finishCalendarConnect: vi.fn(),
  cancelConnect: vi.fn(),
  calendarPrefill: vi.fn(),
  addCalendarEvent: vi.fn(),
  upcomingEvents: vi.fn(),
  deleteCalendarEvent: vi.fn(),
  listIntegrations: vi.fn(),
  teamsStatus: vi.fn(),
  disconnectGrant: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth?client_id=x";

function connection(address = "ayşe@gmail.com"): Connection {
  return {
    id: 3,
    workspaceId: 1,
    provider: "google",
    address,
    scopes: ["https://www.googleapis.com/auth/calendar.events"],
    expiresAt: null,
    status: "active",
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
  };
}

const input: EventInput = {
  title: "Öztürk Gıda — görüşme",
  description: "",
  location: "İstanbul",
  start: "2026-12-10T14:30",
  end: "",
  durationMinutes: 45,
  timeZone: "",
  attendees: ["sukru@ozturkgida.com.tr"],
  reminders: [30],
  meeting: "zoom",
};

const event: Event = {
  id: "ev1",
  title: "Öztürk Gıda — görüşme",
  start: "2026-12-10T14:30:00+03:00",
  end: "2026-12-10T15:15:00+03:00",
  location: "İstanbul",
  attendees: ["sukru@ozturkgida.com.tr"],
  htmlLink: "https://calendar.google.com/event?eid=ev1",
  meeting: {
    kind: "zoom",
    url: "https://zoom.us/j/85746065432?pwd=x",
    id: "85746065432",
    passcode: "a1B2c3",
  },
};

beforeEach(() => {
  vi.resetAllMocks();
});

describe("CalendarStore", () => {
  it("reads the calendar's account, keeping the last one when reading fails", async () => {
    const store = new CalendarStore();
    expect(store.status).toBeNull();
    commands.calendarStatus.mockResolvedValueOnce(ok(connection()));
    expect((await store.loadStatus()).status).toBe("ok");
    expect(store.status?.address).toBe("ayşe@gmail.com");
    commands.calendarStatus.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.loadStatus()).toEqual(failed("store.not_open"));
    expect(store.status?.address).toBe("ayşe@gmail.com");
    commands.calendarStatus.mockResolvedValueOnce(ok(null));
    await store.loadStatus();
    expect(store.status).toBeNull();
  });

  it("connects: waits with the sign-in address, then takes the account", async () => {
    const store = new CalendarStore();
    const finish = deferred<{ status: "ok"; data: Connection }>();
    commands.beginCalendarConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishCalendarConnect.mockReturnValueOnce(finish.promise);
    const running = store.connect("ayşe@gmail.com");
    await settle();
    expect(commands.beginCalendarConnect).toHaveBeenCalledWith("ayşe@gmail.com");
    expect(commands.finishCalendarConnect).toHaveBeenCalledTimes(1);
    expect(store.connecting).toEqual({ url: AUTHORIZE });
    expect(store.status).toBeNull();
    finish.resolve(ok(connection()));
    expect(await running).toEqual(ok(connection()));
    expect(store.connecting).toBeNull();
    expect(store.status).toEqual(connection());
  });

  it("never waits for the browser when the sign-in could not begin", async () => {
    const store = new CalendarStore();
    commands.beginCalendarConnect.mockResolvedValueOnce(failed("oauth.not_configured"));
    expect(await store.connect(null)).toEqual(failed("oauth.not_configured"));
    expect(commands.beginCalendarConnect).toHaveBeenCalledWith(null);
    expect(commands.finishCalendarConnect).not.toHaveBeenCalled();
    expect(store.connecting).toBeNull();
    expect(store.status).toBeNull();
  });

  it("gives a failed or cancelled sign-in back and stops waiting", async () => {
    const store = new CalendarStore();
    commands.beginCalendarConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishCalendarConnect.mockResolvedValueOnce(failed("oauth.cancelled"));
    expect(await store.connect(null)).toEqual(failed("oauth.cancelled"));
    expect(store.connecting).toBeNull();
    expect(store.status).toBeNull();

    commands.beginCalendarConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishCalendarConnect.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.connect(null);
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
    expect(store.connecting).toBeNull();
  });

  it("cancels the sign-in under way through the backend", async () => {
    const store = new CalendarStore();
    commands.cancelConnect.mockResolvedValueOnce(ok(true));
    expect(await store.cancelConnect()).toEqual(ok(true));
    expect(commands.cancelConnect).toHaveBeenCalledTimes(1);
  });

  it("asks for the proposal with the company's and the contact's ids", async () => {
    const store = new CalendarStore();
    commands.calendarPrefill.mockResolvedValueOnce(ok(input));
    expect(await store.prefill(7, 12)).toEqual(ok(input));
    expect(commands.calendarPrefill).toHaveBeenCalledWith(7, 12);
    commands.calendarPrefill.mockResolvedValueOnce(failed("crm.company_not_found"));
    expect(await store.prefill(8, null)).toEqual(failed("crm.company_not_found"));
    expect(commands.calendarPrefill).toHaveBeenLastCalledWith(8, null);
  });

  it("adds an event and answers it with its links", async () => {
    const store = new CalendarStore();
    commands.addCalendarEvent.mockResolvedValueOnce(ok(event));
    expect(await store.add(input)).toEqual(ok(event));
    expect(commands.addCalendarEvent).toHaveBeenCalledWith(input);
    commands.addCalendarEvent.mockResolvedValueOnce(failed("calendar.bad_time", "start"));
    expect(await store.add(input)).toEqual(failed("calendar.bad_time", "start"));
  });

  it("reads the coming events and deletes one", async () => {
    const store = new CalendarStore();
    commands.upcomingEvents.mockResolvedValueOnce(ok([event]));
    expect(await store.upcoming(14)).toEqual(ok([event]));
    expect(commands.upcomingEvents).toHaveBeenCalledWith(14);
    commands.deleteCalendarEvent.mockResolvedValueOnce(ok(null));
    expect(await store.remove("ev1")).toEqual(ok(null));
    expect(commands.deleteCalendarEvent).toHaveBeenCalledWith("ev1");
  });

  it("reads the integrations, for whether Zoom can make the meeting", async () => {
    const store = new CalendarStore();
    commands.listIntegrations.mockResolvedValueOnce(ok([]));
    expect(await store.integrations()).toEqual(ok([]));
    expect(commands.listIntegrations).toHaveBeenCalledTimes(1);
    commands.listIntegrations.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.integrations()).toEqual(failed("store.not_open"));
  });

  it("reads Teams' sign-in, for whether Teams can make the meeting, without taking it as its own", async () => {
    const store = new CalendarStore();
    const teams: Connection = { ...connection("satis@firma.com.tr"), id: 9, provider: "microsoft" };
    commands.teamsStatus.mockResolvedValueOnce(ok(teams));
    expect(await store.teamsStatus()).toEqual(ok(teams));
    expect(store.status).toBeNull();
    commands.teamsStatus.mockResolvedValueOnce(ok(null));
    expect(await store.teamsStatus()).toEqual(ok(null));
    commands.teamsStatus.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.teamsStatus()).toEqual(failed("store.not_open"));
  });

  it("removes its connection: no account is used any more", async () => {
    const store = new CalendarStore();
    expect(store.provider).toBe("google");
    commands.calendarStatus.mockResolvedValueOnce(ok(connection()));
    await store.loadStatus();
    commands.disconnectGrant.mockResolvedValueOnce(failed("oauth.not_found"));
    expect(await store.disconnect(3)).toEqual(failed("oauth.not_found"));
    expect(store.status?.id).toBe(3);
    commands.disconnectGrant.mockResolvedValueOnce(ok({ revocation: "revoked", accountsRemoved: 1 }));
    expect(await store.disconnect(3)).toEqual(ok({ revocation: "revoked", accountsRemoved: 1 }));
    expect(commands.disconnectGrant).toHaveBeenLastCalledWith(3);
    expect(store.status).toBeNull();
  });
});
