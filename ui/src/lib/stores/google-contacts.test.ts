import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Candidate, Connection, MergeReport, Person } from "../bindings";
import { GoogleContactsStore } from "./google-contacts.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  googleContactsStatus: vi.fn(),
  beginGoogleContactsConnect: vi.fn(),
  finishGoogleContactsConnect: vi.fn(),
  googleContactsCandidates: vi.fn(),
  importGoogleContacts: vi.fn(),
  cancelConnect: vi.fn(),
  sheetsStatus: vi.fn(),
  beginSheetsConnect: vi.fn(),
  calendarStatus: vi.fn(),
  beginCalendarConnect: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

// Outside Tauri a real Channel cannot be made; this one only carries `onmessage`.
vi.mock("@tauri-apps/api/core", async (original) => ({
  ...(await original<object>()),
  Channel: class {
    onmessage: (message: unknown) => void = () => {};
  },
}));

installRunes();

type Progress<T> = { onmessage: (message: T) => void };

const AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth?client_id=x&scope=contacts.readonly";

function connection(address = "ayşe@gmail.com"): Connection {
  return {
    id: 7,
    workspaceId: 1,
    provider: "google",
    address,
    scopes: ["https://www.googleapis.com/auth/contacts.readonly"],
    expiresAt: null,
    status: "active",
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
  };
}

function person(n: number): Person {
  return { resourceName: `people/c${n}`, name: `Kişi ${n}`, email: `k${n}@acme.com.tr`, phone: "", organization: "ACME" };
}

const candidates: Candidate[] = [
  { person: person(1), suggested: true, known: false },
  { person: person(2), suggested: false, known: true },
];
const report: MergeReport = { people: 2, added: 1, merged: 1, unchanged: 0, rejected: [] };

beforeEach(() => {
  vi.resetAllMocks();
});

describe("GoogleContactsStore", () => {
  it("reads Google Kişiler' own account, keeping the last one when reading fails", async () => {
    const store = new GoogleContactsStore();
    commands.googleContactsStatus.mockResolvedValueOnce(ok(connection()));
    expect((await store.loadStatus()).status).toBe("ok");
    expect(store.status?.address).toBe("ayşe@gmail.com");
    expect(commands.sheetsStatus).not.toHaveBeenCalled();
    expect(commands.calendarStatus).not.toHaveBeenCalled();
    commands.googleContactsStatus.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.loadStatus()).toEqual(failed("store.not_open"));
    expect(store.status?.address).toBe("ayşe@gmail.com");
  });

  it("connects with its own sign-in: waits with the address, then takes the account", async () => {
    const store = new GoogleContactsStore();
    const finish = deferred<{ status: "ok"; data: Connection }>();
    commands.beginGoogleContactsConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishGoogleContactsConnect.mockReturnValueOnce(finish.promise);
    const running = store.connect(null);
    await settle();
    expect(commands.beginGoogleContactsConnect).toHaveBeenCalledWith(null);
    expect(commands.beginSheetsConnect).not.toHaveBeenCalled();
    expect(commands.beginCalendarConnect).not.toHaveBeenCalled();
    expect(store.connecting).toEqual({ url: AUTHORIZE });
    finish.resolve(ok(connection()));
    expect(await running).toEqual(ok(connection()));
    expect(store.connecting).toBeNull();
    expect(store.status).toEqual(connection());
  });

  it("reads a company's candidates, counting the contacts read as pages come", async () => {
    const store = new GoogleContactsStore();
    store.read = 40; // a former read
    const answer = deferred<unknown>();
    let channel: Progress<number> | undefined;
    commands.googleContactsCandidates.mockImplementationOnce((_companyId, progress) => {
      channel = progress;
      return answer.promise;
    });
    const running = store.candidates(3);
    expect(store.read).toBe(0);
    await settle();
    expect(commands.googleContactsCandidates).toHaveBeenCalledWith(3, channel);
    channel?.onmessage(1000);
    expect(store.read).toBe(1000);
    channel?.onmessage(1106);
    expect(store.read).toBe(1106);
    answer.resolve(ok(candidates));
    expect(await running).toEqual(ok(candidates));
  });

  it("shows only the newest read's count", async () => {
    const store = new GoogleContactsStore();
    const channels: Progress<number>[] = [];
    commands.googleContactsCandidates.mockImplementation((_companyId, progress) => {
      channels.push(progress);
      return new Promise(() => {});
    });
    void store.candidates(3);
    void store.candidates(4);
    await settle();
    channels[0]?.onmessage(1000);
    expect(store.read).toBe(0);
    channels[1]?.onmessage(1000);
    expect(store.read).toBe(1000);
  });

  it("gives back why the candidates could not be read", async () => {
    const store = new GoogleContactsStore();
    commands.googleContactsCandidates.mockResolvedValueOnce(failed("google_contacts.not_connected"));
    expect(await store.candidates(3)).toEqual(failed("google_contacts.not_connected"));
    commands.googleContactsCandidates.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.candidates(3);
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
  });

  it("imports the chosen people, following the progress, and ends with all of them done", async () => {
    const store = new GoogleContactsStore();
    const people = [person(1), person(2)];
    const answer = deferred<unknown>();
    let channel: Progress<[number, number]> | undefined;
    commands.importGoogleContacts.mockImplementationOnce((_companyId, _people, progress) => {
      channel = progress;
      return answer.promise;
    });
    const running = store.importPeople(3, people);
    expect(store.progress).toEqual({ done: 0, total: 2 });
    await settle();
    expect(commands.importGoogleContacts).toHaveBeenCalledWith(3, people, channel);
    channel?.onmessage([1, 2]);
    expect(store.progress).toEqual({ done: 1, total: 2 });
    answer.resolve(ok(report));
    expect(await running).toEqual(ok(report));
    expect(store.progress).toEqual({ done: 2, total: 2 });
  });

  it("keeps the progress shown when the import fails", async () => {
    const store = new GoogleContactsStore();
    commands.importGoogleContacts.mockImplementationOnce(async (_companyId, _people, progress) => {
      progress.onmessage([1, 3]);
      return failed("google_contacts.refused");
    });
    expect(await store.importPeople(3, [person(1), person(2), person(3)])).toEqual(
      failed("google_contacts.refused"),
    );
    expect(store.progress).toEqual({ done: 1, total: 3 });
  });
});
