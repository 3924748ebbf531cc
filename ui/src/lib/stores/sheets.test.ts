import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection, Exported, Filter, Spreadsheet } from "../bindings";
import { SheetsStore } from "./sheets.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  sheetsStatus: vi.fn(),
  beginSheetsConnect: vi.fn(),
  finishSheetsConnect: vi.fn(),
  cancelConnect: vi.fn(),
  testSheets: vi.fn(),
  exportHistoryToSheets: vi.fn(),
  exportCampaignToSheets: vi.fn(),
  calendarStatus: vi.fn(),
  beginCalendarConnect: vi.fn(),
  finishCalendarConnect: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth?client_id=x&scope=spreadsheets";
const ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";

function connection(address = "ayşe@gmail.com"): Connection {
  return {
    id: 5,
    workspaceId: 1,
    provider: "google",
    address,
    scopes: ["https://www.googleapis.com/auth/spreadsheets"],
    expiresAt: null,
    status: "active",
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
  };
}

const spreadsheet: Spreadsheet = {
  id: ID,
  title: "Ulak — Gönderim geçmişi 07.12.2026",
  url: `https://docs.google.com/spreadsheets/d/${ID}/edit`,
};
const exported: Exported = { spreadsheet, sheet: "Gönderimler", rows: 42 };
const filter: Filter = { companyId: 3, channel: null, state: "sent", since: null, until: null, limit: null };

beforeEach(() => {
  vi.resetAllMocks();
});

describe("SheetsStore", () => {
  it("reads Google E-Tablolar' own account, keeping the last one when reading fails", async () => {
    const store = new SheetsStore();
    expect(store.status).toBeNull();
    commands.sheetsStatus.mockResolvedValueOnce(ok(connection()));
    expect((await store.loadStatus()).status).toBe("ok");
    expect(store.status?.address).toBe("ayşe@gmail.com");
    expect(commands.calendarStatus).not.toHaveBeenCalled();
    commands.sheetsStatus.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.loadStatus()).toEqual(failed("store.not_open"));
    expect(store.status?.address).toBe("ayşe@gmail.com");
    commands.sheetsStatus.mockResolvedValueOnce(ok(null));
    await store.loadStatus();
    expect(store.status).toBeNull();
  });

  it("connects with its own sign-in: waits with the address, then takes the account", async () => {
    const store = new SheetsStore();
    const finish = deferred<{ status: "ok"; data: Connection }>();
    commands.beginSheetsConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishSheetsConnect.mockReturnValueOnce(finish.promise);
    const running = store.connect("ayşe@gmail.com");
    await settle();
    expect(commands.beginSheetsConnect).toHaveBeenCalledWith("ayşe@gmail.com");
    expect(commands.finishSheetsConnect).toHaveBeenCalledTimes(1);
    expect(commands.beginCalendarConnect).not.toHaveBeenCalled();
    expect(store.connecting).toEqual({ url: AUTHORIZE });
    finish.resolve(ok(connection()));
    expect(await running).toEqual(ok(connection()));
    expect(store.connecting).toBeNull();
    expect(store.status).toEqual(connection());
  });

  it("never waits when the sign-in could not begin; gives a cancelled one back", async () => {
    const store = new SheetsStore();
    commands.beginSheetsConnect.mockResolvedValueOnce(failed("oauth.not_configured"));
    expect(await store.connect(null)).toEqual(failed("oauth.not_configured"));
    expect(commands.finishSheetsConnect).not.toHaveBeenCalled();
    expect(store.connecting).toBeNull();

    commands.beginSheetsConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishSheetsConnect.mockResolvedValueOnce(failed("oauth.cancelled"));
    expect(await store.connect(null)).toEqual(failed("oauth.cancelled"));
    expect(store.connecting).toBeNull();
    expect(store.status).toBeNull();

    commands.beginSheetsConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishSheetsConnect.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.connect(null);
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
    expect(store.connecting).toBeNull();
  });

  it("cancels through the OAuth sign-ins' cancel", async () => {
    const store = new SheetsStore();
    commands.cancelConnect.mockResolvedValueOnce(ok(true));
    expect(await store.cancelConnect()).toEqual(ok(true));
    expect(commands.cancelConnect).toHaveBeenCalledTimes(1);
  });

  it("tests with the spreadsheet named, trimmed, or none", async () => {
    const store = new SheetsStore();
    commands.testSheets.mockResolvedValueOnce(ok(null));
    expect(await store.testSpreadsheet("   ")).toEqual(ok(null));
    expect(commands.testSheets).toHaveBeenLastCalledWith(null);
    commands.testSheets.mockResolvedValueOnce(ok(spreadsheet));
    expect(await store.testSpreadsheet(` ${spreadsheet.url} `)).toEqual(ok(spreadsheet));
    expect(commands.testSheets).toHaveBeenLastCalledWith(spreadsheet.url);
    commands.testSheets.mockResolvedValueOnce(failed("sheets.not_connected"));
    expect(await store.testSpreadsheet("")).toEqual(failed("sheets.not_connected"));
  });

  it("exports the history with its filter, and a campaign by its id", async () => {
    const store = new SheetsStore();
    commands.exportHistoryToSheets.mockResolvedValueOnce(ok(exported));
    expect(await store.exportHistory(filter, { spreadsheet: null, sheet: null })).toEqual(ok(exported));
    expect(commands.exportHistoryToSheets).toHaveBeenCalledWith(filter, { spreadsheet: null, sheet: null });

    commands.exportCampaignToSheets.mockResolvedValueOnce(failed("sheets.bad_spreadsheet", "spreadsheet"));
    expect(await store.exportCampaign(9, { spreadsheet: "tablom", sheet: "Mayıs" })).toEqual(
      failed("sheets.bad_spreadsheet", "spreadsheet"),
    );
    expect(commands.exportCampaignToSheets).toHaveBeenCalledWith(9, { spreadsheet: "tablom", sheet: "Mayıs" });

    commands.exportCampaignToSheets.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.exportCampaign(9, { spreadsheet: null });
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
  });
});
