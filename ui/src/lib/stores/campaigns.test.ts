import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Campaign, CampaignInput, Forecast, Progress } from "../bindings";
import { CampaignsStore } from "./campaigns.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  listCampaigns: vi.fn(),
  createCampaign: vi.fn(),
  campaignAction: vi.fn(),
  campaignProgress: vi.fn(),
  outboxForecast: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function campaign(id: number, over: Partial<Campaign> = {}): Campaign {
  return {
    id,
    workspaceId: 1,
    name: `Kampanya ${id}`,
    subject: "Teklif",
    bodyHtml: "<p>Merhaba</p>",
    state: "draft",
    window: {
      days: [1, 2, 3, 4, 5],
      start: "09:00",
      end: "18:00",
      timeZone: "Europe/Istanbul",
      skipHolidays: true,
    },
    spread: true,
    commercial: false,
    accounts: [1],
    waiting: null,
    waitingUntil: null,
    createdAt: "2025-12-08T09:00:00Z",
    ...over,
  };
}

function progress(id: number, over: Partial<Progress> = {}, c: Partial<Campaign> = {}): Progress {
  return {
    campaign: campaign(id, c),
    total: 100,
    sent: 0,
    failed: 0,
    waiting: 100,
    sending: 0,
    accounts: [],
    failures: [],
    ...over,
  };
}

const input: CampaignInput = {
  name: "Aralık",
  template: "3",
  companies: [4],
  csv: null,
  accounts: [1],
  window: campaign(0).window,
  spread: true,
  commercial: false,
};

const forecast: Forecast = {
  days: ["2025-12-08", "2025-12-09"],
  accounts: [{ accountId: 1, label: "ayse@firma.com", perDay: [30, 30] }],
  campaigns: [{ campaignId: 1, name: "Aralık", perDay: [30, 30] }],
  unplaced: 0,
};

const ids = (store: CampaignsStore): number[] => store.items.map((p) => p.campaign.id);
const states = (store: CampaignsStore): string[] => store.items.map((p) => p.campaign.state);

async function loaded(...items: Progress[]): Promise<CampaignsStore> {
  const store = new CampaignsStore();
  commands.listCampaigns.mockResolvedValueOnce(ok(items));
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("CampaignsStore: the list", () => {
  it("is loading until the list is read, then holds it", async () => {
    const store = new CampaignsStore();
    expect(store.loading).toBe(true);
    commands.listCampaigns.mockResolvedValueOnce(ok([progress(2), progress(1)]));
    expect((await store.load()).status).toBe("ok");
    expect(store.loading).toBe(false);
    expect(store.error).toBeNull();
    expect(ids(store)).toEqual([2, 1]);
  });

  it("keeps the list and gives the error when reading fails", async () => {
    const store = await loaded(progress(1));
    commands.listCampaigns.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.error?.code).toBe("store.not_open");
    expect(ids(store)).toEqual([1]);
  });

  it("turns a thrown invoke (outside Tauri) into an error", async () => {
    const store = new CampaignsStore();
    commands.listCampaigns.mockRejectedValueOnce(new Error("no window.__TAURI__"));
    await store.load();
    expect(store.error?.code).toBe("ui.backend_unreachable");
    expect(store.loading).toBe(false);
  });

  it("a quiet read shows no loading and no error, but takes a good answer", async () => {
    const store = await loaded(progress(1));
    commands.listCampaigns.mockResolvedValueOnce(failed("internal"));
    await store.load({ quiet: true });
    expect(store.error).toBeNull();
    expect(ids(store)).toEqual([1]);
    commands.listCampaigns.mockResolvedValueOnce(ok([progress(1, { sent: 5, waiting: 95 })]));
    await store.load({ quiet: true });
    expect(store.items[0]?.sent).toBe(5);
  });

  it("an older answer never replaces a newer one", async () => {
    const store = await loaded();
    const older = deferred<unknown>();
    commands.listCampaigns.mockReturnValueOnce(older.promise);
    const first = store.load({ quiet: true });
    commands.listCampaigns.mockResolvedValueOnce(ok([progress(1, { sent: 9 })]));
    await store.load({ quiet: true });
    older.resolve(ok([progress(1, { sent: 2 })]));
    await first;
    expect(store.items[0]?.sent).toBe(9);
  });
});

describe("CampaignsStore: creating and acting", () => {
  it("creates a campaign and puts its progress first", async () => {
    const store = await loaded(progress(1));
    const created = { campaign: campaign(2), recipients: 40, skipped: [{ who: "x", reason: "y" }], iys: null };
    commands.createCampaign.mockResolvedValueOnce(ok(created));
    commands.campaignProgress.mockResolvedValueOnce(ok(progress(2, { total: 40, waiting: 40 })));
    expect(await store.create(input)).toEqual(ok(created));
    expect(commands.createCampaign).toHaveBeenCalledWith(input);
    expect(commands.campaignProgress).toHaveBeenCalledWith(2);
    expect(ids(store)).toEqual([2, 1]);
    expect(store.items[0]?.total).toBe(40);
  });

  it("passes a refusal on and leaves the list alone", async () => {
    const store = await loaded(progress(1));
    commands.createCampaign.mockResolvedValueOnce(failed("campaign.no_accounts", "accounts"));
    const res = await store.create(input);
    expect(res.status === "error" && res.error.field).toBe("accounts");
    expect(commands.campaignProgress).not.toHaveBeenCalled();
    expect(ids(store)).toEqual([1]);
  });

  it("replaces the campaign with the progress an action answers", async () => {
    const store = await loaded(progress(2), progress(1));
    commands.campaignAction.mockResolvedValueOnce(ok(progress(1, {}, { state: "running" })));
    expect((await store.act(1, "run")).status).toBe("ok");
    expect(commands.campaignAction).toHaveBeenCalledWith(1, "run");
    expect(ids(store)).toEqual([2, 1]);
    expect(states(store)).toEqual(["draft", "running"]);
  });

  it("keeps the campaign as it was when the action is refused", async () => {
    const store = await loaded(progress(1, {}, { state: "done" }));
    commands.campaignAction.mockResolvedValueOnce(failed("campaign.bad_state"));
    const res = await store.act(1, "pause");
    expect(res.status === "error" && res.error.code).toBe("campaign.bad_state");
    expect(states(store)).toEqual(["done"]);
  });

  it("drops a campaign found gone", async () => {
    const store = await loaded(progress(2), progress(1));
    commands.campaignAction.mockResolvedValueOnce(failed("campaign.not_found"));
    await store.act(1, "cancel");
    expect(ids(store)).toEqual([2]);
    commands.campaignProgress.mockResolvedValueOnce(failed("campaign.not_found"));
    await store.refresh(2);
    expect(ids(store)).toEqual([]);
  });

  it("refreshes one campaign in place", async () => {
    const store = await loaded(progress(2), progress(1));
    commands.campaignProgress.mockResolvedValueOnce(ok(progress(1, { sent: 50, waiting: 50 })));
    await store.refresh(1);
    expect(ids(store)).toEqual([2, 1]);
    expect(store.items[1]?.sent).toBe(50);
  });

  it("a list read started before an action does not undo it", async () => {
    const store = await loaded(progress(1));
    const older = deferred<unknown>();
    commands.listCampaigns.mockReturnValueOnce(older.promise);
    const reading = store.load({ quiet: true });
    commands.campaignAction.mockResolvedValueOnce(ok(progress(1, {}, { state: "running" })));
    await store.act(1, "run");
    older.resolve(ok([progress(1)]));
    await reading;
    expect(states(store)).toEqual(["running"]);
  });
});

describe("CampaignsStore: the forward view", () => {
  it("reads it, and keeps it when a later read fails", async () => {
    const store = new CampaignsStore();
    expect(store.forecast).toBeNull();
    commands.outboxForecast.mockResolvedValueOnce(ok(forecast));
    await store.loadForecast();
    expect(store.forecast).toEqual(forecast);
    commands.outboxForecast.mockResolvedValueOnce(failed("store.not_open"));
    await store.loadForecast();
    expect(store.forecast).toEqual(forecast);
    expect(store.forecastError?.code).toBe("store.not_open");
    commands.outboxForecast.mockResolvedValueOnce(ok({ ...forecast, unplaced: 3 }));
    await store.loadForecast();
    expect(store.forecastError).toBeNull();
    expect(store.forecast?.unplaced).toBe(3);
  });
});

describe("CampaignsStore: closed", () => {
  it("late answers change nothing once the page is gone", async () => {
    const store = await loaded(progress(1));
    const list = deferred<unknown>();
    const view = deferred<unknown>();
    commands.listCampaigns.mockReturnValueOnce(list.promise);
    commands.outboxForecast.mockReturnValueOnce(view.promise);
    commands.campaignAction.mockResolvedValueOnce(ok(progress(1, {}, { state: "running" })));
    const reading = store.load();
    const viewing = store.loadForecast();
    store.close();
    await store.act(1, "run");
    list.resolve(ok([]));
    view.resolve(ok(forecast));
    await Promise.all([reading, viewing]);
    expect(ids(store)).toEqual([1]);
    expect(states(store)).toEqual(["draft"]);
    expect(store.forecast).toBeNull();
  });
});
