import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Integration } from "../bindings";
import { IntegrationsStore } from "./integrations.svelte";
import { failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  listIntegrations: vi.fn(),
  saveIntegration: vi.fn(),
  testIntegration: vi.fn(),
  removeIntegration: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function integration(
  id: number,
  provider = "twilio",
  from = "+15005550006",
  lastError: Integration["lastError"] = null,
): Integration {
  return {
    id,
    workspaceId: 1,
    channel: "sms",
    provider,
    settings: { accountSid: "AC123", from },
    baseUrl: null,
    ratePerSecond: null,
    secretsSet: ["authToken"],
    active: true,
    lastError,
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
  };
}

const input = { values: { accountSid: "AC123", from: "+15005550006" }, baseUrl: "" };

async function loaded(...items: Integration[]): Promise<IntegrationsStore> {
  const store = new IntegrationsStore();
  commands.listIntegrations.mockResolvedValueOnce(ok(items));
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("IntegrationsStore", () => {
  it("is loading until the list is read, then holds it", async () => {
    const store = new IntegrationsStore();
    expect(store.loading).toBe(true);
    commands.listIntegrations.mockResolvedValueOnce(ok([integration(1)]));
    const res = await store.load();
    expect(res.status).toBe("ok");
    expect(store.loading).toBe(false);
    expect(store.error).toBeNull();
    expect(store.items.map((i) => i.id)).toEqual([1]);
  });

  it("keeps the list and gives the error when reading fails; a new load clears it", async () => {
    const store = await loaded(integration(1));
    commands.listIntegrations.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.error?.code).toBe("store.not_open");
    expect(store.items).toHaveLength(1);
    commands.listIntegrations.mockResolvedValueOnce(ok([]));
    await store.load();
    expect(store.error).toBeNull();
    expect(store.items).toEqual([]);
  });

  it("turns a thrown invoke (outside Tauri) into an error result", async () => {
    const store = new IntegrationsStore();
    commands.listIntegrations.mockRejectedValueOnce(new Error("no window.__TAURI__"));
    await store.load();
    expect(store.error?.code).toBe("ui.backend_unreachable");
    expect(store.loading).toBe(false);
  });

  it("adds a newly saved integration to the list", async () => {
    const store = await loaded();
    commands.saveIntegration.mockResolvedValueOnce(ok(integration(4)));
    const res = await store.save("sms", "twilio", input);
    expect(commands.saveIntegration).toHaveBeenCalledWith("sms", "twilio", input);
    expect(res.status).toBe("ok");
    expect(store.items.map((i) => i.id)).toEqual([4]);
  });

  it("replaces a saved integration in place, by channel and provider", async () => {
    const store = await loaded(integration(1), integration(2, "other"));
    commands.saveIntegration.mockResolvedValueOnce(ok(integration(1, "twilio", "Ulak")));
    await store.save("sms", "twilio", input);
    expect(store.items.map((i) => i.id)).toEqual([1, 2]);
    expect(store.items[0]?.settings.from).toBe("Ulak");
  });

  it("leaves the list alone when saving fails", async () => {
    const store = await loaded(integration(1));
    commands.saveIntegration.mockResolvedValueOnce(failed("validation.url", "baseUrl"));
    const res = await store.save("sms", "twilio", { ...input, baseUrl: "ftp://x" });
    expect(res.status === "error" && res.error.field).toBe("baseUrl");
    expect(store.items.map((i) => i.settings.from)).toEqual(["+15005550006"]);
  });

  it("tests a provider and passes its answer on, the provider's words included", async () => {
    const store = await loaded(integration(1));
    commands.testIntegration.mockResolvedValueOnce(ok(true));
    commands.listIntegrations.mockResolvedValueOnce(ok([integration(1)]));
    expect(await store.test("sms", "twilio")).toEqual(ok(true));
    expect(commands.testIntegration).toHaveBeenCalledWith("sms", "twilio");
    // The verdict is read back: a failed test leaves the integration in trouble.
    const trouble = { code: "signIn" as const, text: "Twilio 20003: Authenticate", at: "2026-12-07T01:00:00Z" };
    commands.listIntegrations.mockResolvedValueOnce(ok([integration(1, "twilio", "+15005550006", trouble)]));
    commands.testIntegration.mockResolvedValueOnce({
      status: "error",
      error: { code: "integration.test_failed", message: "Authenticate", hint: null, field: null },
    });
    const res = await store.test("sms", "twilio");
    expect(res.status === "error" && res.error.message).toBe("Authenticate");
    expect(store.items[0]?.lastError).toEqual(trouble);
  });

  it("removes an integration and reads the list again", async () => {
    const store = await loaded(integration(1), integration(2, "other"));
    commands.removeIntegration.mockResolvedValueOnce(ok(null));
    commands.listIntegrations.mockResolvedValueOnce(ok([integration(2, "other")]));
    const res = await store.remove("sms", "twilio");
    expect(res.status).toBe("ok");
    expect(commands.removeIntegration).toHaveBeenCalledWith("sms", "twilio");
    expect(commands.listIntegrations).toHaveBeenCalledTimes(2);
    expect(store.items.map((i) => i.id)).toEqual([2]);
  });

  it("drops the removed one even when the list cannot be read again", async () => {
    const store = await loaded(integration(1), integration(2, "other"));
    commands.removeIntegration.mockResolvedValueOnce(ok(null));
    commands.listIntegrations.mockResolvedValueOnce(failed("store.not_open"));
    await store.remove("sms", "twilio");
    expect(store.items.map((i) => i.id)).toEqual([2]);
    expect(store.error).toBeNull();
  });

  it("keeps the list and gives the error when removing fails", async () => {
    const store = await loaded(integration(1));
    commands.removeIntegration.mockResolvedValueOnce(failed("integration.not_set_up"));
    const res = await store.remove("sms", "twilio");
    expect(res.status === "error" && res.error.code).toBe("integration.not_set_up");
    expect(store.items.map((i) => i.id)).toEqual([1]);
    // Nothing changed: the list is not read again.
    expect(commands.listIntegrations).toHaveBeenCalledTimes(1);
  });
});
