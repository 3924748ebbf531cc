import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Suppression } from "../bindings";
import { SuppressionStore } from "./suppression.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const backend = vi.hoisted(() => ({
  commands: {
    listSuppressions: vi.fn(),
    addSuppression: vi.fn(),
    removeSuppression: vi.fn(),
    importSuppressions: vi.fn(),
    exportSuppressions: vi.fn(),
    recordUnsubscribes: vi.fn(),
    getUnsubscribeSettings: vi.fn(),
    saveUnsubscribeSettings: vi.fn(),
  },
  events: {
    outboxChanged: { listen: vi.fn(async () => () => {}) },
  },
}));
vi.mock("../bindings", async (original) => ({
  ...(await original<object>()),
  commands: backend.commands,
  events: backend.events,
}));
const { commands } = backend;

installRunes();

function entry(value: string, over: Partial<Suppression> = {}): Suppression {
  return {
    value,
    kind: value.includes("@") ? "email" : "phone",
    reason: "unsubscribed",
    note: "",
    requestedAt: "2026-12-07T09:00:00Z",
    addedAt: "2026-12-07T09:00:00Z",
    deadlineTr: "2026-12-10",
    deadlineGmail: "2026-12-09T09:00:00Z",
    ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
});

describe("SuppressionStore", () => {
  it("loads the list, or keeps why it could not", async () => {
    const store = new SuppressionStore();
    expect(store.loading).toBe(true);
    commands.listSuppressions.mockResolvedValueOnce(ok([entry("a@firma.com")]));
    await store.load();
    expect(store.items.map((e) => e.value)).toEqual(["a@firma.com"]);
    expect(store.loading).toBe(false);
    commands.listSuppressions.mockResolvedValueOnce(failed("store.io"));
    await store.load();
    expect(store.error?.code).toBe("store.io");
    expect(store.items).toHaveLength(1);
  });

  it("adds an entry at the top and passes the form's values on as they are", async () => {
    const store = new SuppressionStore();
    commands.listSuppressions.mockResolvedValue(ok([entry("a@firma.com")]));
    await store.load();
    const added = entry("+905321234567", { reason: "iys" });
    commands.addSuppression.mockResolvedValueOnce(ok({ entry: added, new: true }));
    commands.listSuppressions.mockResolvedValue(ok([added, entry("a@firma.com")]));
    const res = await store.add("0532 123 45 67", "iys", "RET", "2026-12-01");
    expect(res.status).toBe("ok");
    expect(commands.addSuppression).toHaveBeenCalledWith("0532 123 45 67", "iys", "RET", "2026-12-01");
    expect(store.items.map((e) => e.value)).toEqual(["+905321234567", "a@firma.com"]);
    await settle();
    expect(store.items.map((e) => e.value)).toEqual(["+905321234567", "a@firma.com"]);
  });

  it("one already listed is not listed twice; an error changes nothing", async () => {
    const store = new SuppressionStore();
    commands.listSuppressions.mockResolvedValue(ok([entry("a@firma.com")]));
    await store.load();
    commands.addSuppression.mockResolvedValueOnce(ok({ entry: entry("a@firma.com"), new: false }));
    await store.add("A@firma.com", "manual", "", null);
    expect(store.items).toHaveLength(1);
    commands.addSuppression.mockResolvedValueOnce(failed("validation.email", "value"));
    const res = await store.add("a@", "manual", "", null);
    expect(res.status === "error" && res.error.code).toBe("validation.email");
    expect(store.items).toHaveLength(1);
  });

  it("an add during the first read is not lost when that read answers late", async () => {
    const store = new SuppressionStore();
    const first = deferred<unknown>();
    commands.listSuppressions.mockReturnValueOnce(first.promise);
    const loading = store.load();
    const added = entry("b@firma.com");
    commands.addSuppression.mockResolvedValueOnce(ok({ entry: added, new: true }));
    commands.listSuppressions.mockResolvedValueOnce(ok([added, entry("a@firma.com")]));
    await store.add("b@firma.com", "manual", "", null);
    first.resolve(ok([entry("a@firma.com")]));
    await loading;
    await settle();
    expect(store.items.map((e) => e.value)).toEqual(["b@firma.com", "a@firma.com"]);
    expect(store.loading).toBe(false);
  });

  it("removes an entry; one already gone counts as removed", async () => {
    const store = new SuppressionStore();
    commands.listSuppressions.mockResolvedValue(ok([entry("a@firma.com"), entry("b@firma.com")]));
    await store.load();
    commands.removeSuppression.mockResolvedValueOnce(ok(null));
    commands.listSuppressions.mockResolvedValue(ok([entry("b@firma.com")]));
    expect((await store.remove("a@firma.com")).status).toBe("ok");
    expect(commands.removeSuppression).toHaveBeenCalledWith("a@firma.com");
    expect(store.items.map((e) => e.value)).toEqual(["b@firma.com"]);

    commands.removeSuppression.mockResolvedValueOnce(failed("suppress.not_listed"));
    commands.listSuppressions.mockResolvedValue(ok([]));
    expect((await store.remove("b@firma.com")).status).toBe("ok");
    expect(store.items).toEqual([]);

    commands.removeSuppression.mockResolvedValueOnce(failed("store.io"));
    expect((await store.remove("c@firma.com")).status).toBe("error");
  });

  it("imports a CSV's text, then reads the list again", async () => {
    const store = new SuppressionStore();
    commands.listSuppressions.mockResolvedValue(ok([]));
    await store.load();
    const report = { added: 1, already: 0, rejected: [{ line: 3, value: "12", code: "validation.phone" }] };
    commands.importSuppressions.mockResolvedValueOnce(ok(report));
    commands.listSuppressions.mockResolvedValue(ok([entry("a@firma.com")]));
    const res = await store.importCsv("değer\na@firma.com\n12\n");
    expect(res).toEqual(ok(report));
    expect(commands.importSuppressions).toHaveBeenCalledWith("değer\na@firma.com\n12\n");
    expect(store.items.map((e) => e.value)).toEqual(["a@firma.com"]);
  });

  it("hands the export's text over", async () => {
    const store = new SuppressionStore();
    commands.exportSuppressions.mockResolvedValueOnce(ok("value,reason,note,requested_at\n"));
    expect(await store.exportCsv()).toEqual(ok("value,reason,note,requested_at\n"));
  });

  it("once closed, late answers change nothing", async () => {
    const store = new SuppressionStore();
    const late = deferred<unknown>();
    commands.listSuppressions.mockReturnValueOnce(late.promise);
    const loading = store.load();
    store.close();
    late.resolve(ok([entry("a@firma.com")]));
    await loading;
    expect(store.items).toEqual([]);
  });
});

describe("SuppressionStore: unsubscribing", () => {
  const settings = { url: "https://firma.com.tr/abonelik?t={token}", mailto: "" };

  it("reads the unsubscribe settings, or keeps why it could not", async () => {
    const store = new SuppressionStore();
    expect(store.unsubscribeLoading).toBe(true);
    commands.getUnsubscribeSettings.mockResolvedValueOnce(ok(settings));
    expect(await store.loadUnsubscribe()).toEqual(ok(settings));
    expect(store.unsubscribe).toEqual(settings);
    expect(store.unsubscribeLoading).toBe(false);
    commands.getUnsubscribeSettings.mockResolvedValueOnce(failed("store.io"));
    await store.loadUnsubscribe();
    expect(store.unsubscribeError?.code).toBe("store.io");
    expect(store.unsubscribe).toEqual(settings);
  });

  it("saves the settings and keeps what the backend kept; a refusal changes nothing", async () => {
    const store = new SuppressionStore();
    commands.getUnsubscribeSettings.mockResolvedValueOnce(ok({ url: "", mailto: "" }));
    await store.loadUnsubscribe();
    commands.saveUnsubscribeSettings.mockResolvedValueOnce(ok(settings));
    const res = await store.saveUnsubscribe({ ...settings, url: ` ${settings.url} ` });
    expect(res.status).toBe("ok");
    expect(commands.saveUnsubscribeSettings).toHaveBeenCalledWith({ ...settings, url: ` ${settings.url} ` });
    expect(store.unsubscribe).toEqual(settings);

    commands.saveUnsubscribeSettings.mockResolvedValueOnce(failed("validation.url", "url"));
    const bad = await store.saveUnsubscribe({ url: "http://firma.com.tr/{token}", mailto: "" });
    expect(bad.status === "error" && bad.error.code).toBe("validation.url");
    expect(store.unsubscribe).toEqual(settings);
  });

  it("a save wins over a read that answers after it", async () => {
    const store = new SuppressionStore();
    const late = deferred<unknown>();
    commands.getUnsubscribeSettings.mockReturnValueOnce(late.promise);
    const loading = store.loadUnsubscribe();
    commands.saveUnsubscribeSettings.mockResolvedValueOnce(ok(settings));
    await store.saveUnsubscribe(settings);
    late.resolve(ok({ url: "", mailto: "" }));
    await loading;
    expect(store.unsubscribe).toEqual(settings);
    expect(store.unsubscribeLoading).toBe(false);
  });

  it("records a paste, then reads the list again when someone was recorded", async () => {
    const store = new SuppressionStore();
    commands.listSuppressions.mockResolvedValue(ok([]));
    await store.load();
    expect(commands.listSuppressions).toHaveBeenCalledTimes(1);

    const report = { recorded: [{ address: "a@firma.com", campaignId: 4, new: true }], unknown: [] };
    commands.recordUnsubscribes.mockResolvedValueOnce(ok(report));
    commands.listSuppressions.mockResolvedValue(ok([entry("a@firma.com")]));
    expect(await store.recordUnsubscribes("Subject: unsubscribe u1.abc.def")).toEqual(ok(report));
    expect(commands.recordUnsubscribes).toHaveBeenCalledWith("Subject: unsubscribe u1.abc.def");
    expect(store.items.map((e) => e.value)).toEqual(["a@firma.com"]);
    expect(commands.listSuppressions).toHaveBeenCalledTimes(2);

    // Nothing recorded: the list is not read again.
    commands.recordUnsubscribes.mockResolvedValueOnce(ok({ recorded: [], unknown: ["u1.x.y"] }));
    await store.recordUnsubscribes("u1.x.y");
    expect(commands.listSuppressions).toHaveBeenCalledTimes(2);

    commands.recordUnsubscribes.mockResolvedValueOnce(failed("store.io"));
    const res = await store.recordUnsubscribes("u1.abc.def");
    expect(res.status === "error" && res.error.code).toBe("store.io");
    expect(commands.listSuppressions).toHaveBeenCalledTimes(2);
  });

  it("once closed, a late read of the settings changes nothing", async () => {
    const store = new SuppressionStore();
    const late = deferred<unknown>();
    commands.getUnsubscribeSettings.mockReturnValueOnce(late.promise);
    const loading = store.loadUnsubscribe();
    store.close();
    late.resolve(ok(settings));
    await loading;
    expect(store.unsubscribe).toBeNull();
  });
});
