import { beforeEach, describe, expect, it, vi } from "vitest";
import type { InboundStatus } from "../bindings";
import { InboundStore, WhatsappWindowCheck, inboundAddress } from "./inbound.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  inboundStatus: vi.fn(),
  saveInboundSettings: vi.fn(),
  inboundAddress: vi.fn(),
  whatsappWindow: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const status = (port: number | null, publicUrl: string | null = null): InboundStatus => ({
  settings: { port, publicUrl },
  listening: port,
  problem: null,
});

beforeEach(() => {
  vi.resetAllMocks();
});

describe("InboundStore", () => {
  it("is loading until the status is read, then fills the form from it", async () => {
    const store = new InboundStore();
    expect(store.loading).toBe(true);
    expect(store.form).toEqual({ port: "", publicUrl: "" });
    commands.inboundStatus.mockResolvedValueOnce(ok(status(8787, "https://t.example.com")));
    await store.load();
    expect(store.loading).toBe(false);
    expect(store.error).toBeNull();
    expect(store.status?.listening).toBe(8787);
    expect(store.form).toEqual({ port: "8787", publicUrl: "https://t.example.com" });
  });

  it("gives the error when reading fails, and a thrown invoke as backend_unreachable", async () => {
    const store = new InboundStore();
    commands.inboundStatus.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.error?.code).toBe("store.not_open");
    expect(store.status).toBeNull();
    commands.inboundStatus.mockRejectedValueOnce(new Error("no window.__TAURI__"));
    await store.load();
    expect(store.error?.code).toBe("ui.backend_unreachable");
  });

  it("saves, takes the answer's status and settings, and says it saved", async () => {
    const store = new InboundStore();
    commands.saveInboundSettings.mockResolvedValueOnce(ok(status(9000, "https://t.example.com")));
    const res = await store.save({ port: 9000, publicUrl: "https://t.example.com" });
    expect(res.status).toBe("ok");
    expect(commands.saveInboundSettings).toHaveBeenCalledWith({ port: 9000, publicUrl: "https://t.example.com" });
    expect(store.saving).toBe(false);
    expect(store.saved).toBe(true);
    expect(store.status?.settings.port).toBe(9000);
    expect(store.form.port).toBe("9000");
    store.edited();
    expect(store.saved).toBe(false);
  });

  it("keeps a refused save's error by field until the next edit", async () => {
    const store = new InboundStore();
    commands.inboundStatus.mockResolvedValueOnce(ok(status(null)));
    await store.load();
    store.form.port = "80";
    commands.saveInboundSettings.mockResolvedValueOnce(failed("validation.range", "port"));
    await store.save({ port: 80, publicUrl: null });
    expect(store.saved).toBe(false);
    expect(store.saveError?.code).toBe("validation.range");
    expect(store.fieldErrors.port?.code).toBe("validation.range");
    expect(store.fieldErrors.publicUrl).toBeUndefined();
    // What was typed stays.
    expect(store.form.port).toBe("80");
    store.edited();
    expect(store.saveError).toBeNull();
    expect(store.fieldErrors).toEqual({});
  });
});

describe("inboundAddress", () => {
  it("asks for the integration's address, a new one when rotating", async () => {
    const address = {
      integrationId: 1,
      path: "/hooks/1/t",
      verifyToken: "t",
      localUrl: null,
      publicUrl: null,
    };
    commands.inboundAddress.mockResolvedValueOnce(ok(address));
    expect(await inboundAddress("whatsapp", "meta", false)).toEqual(ok(address));
    expect(commands.inboundAddress).toHaveBeenLastCalledWith("whatsapp", "meta", false);
    commands.inboundAddress.mockResolvedValueOnce(failed("inbound.not_received"));
    const res = await inboundAddress("sms", "twilio", true);
    expect(res.status === "error" && res.error.code).toBe("inbound.not_received");
    expect(commands.inboundAddress).toHaveBeenLastCalledWith("sms", "twilio", true);
  });
});

describe("WhatsappWindowCheck", () => {
  const open = { lastReceivedAt: "2025-12-08T09:00:00Z", openUntil: "2025-12-09T09:00:00Z", open: true };

  it("holds the answer; nothing for a null answer or an error", async () => {
    const check = new WhatsappWindowCheck();
    commands.whatsappWindow.mockResolvedValueOnce(ok(open));
    await check.check("meta", "0532 123 45 67");
    expect(commands.whatsappWindow).toHaveBeenLastCalledWith("meta", "0532 123 45 67");
    expect(check.result).toEqual(open);
    expect(check.at).toBeGreaterThan(0);
    commands.whatsappWindow.mockResolvedValueOnce(ok(null));
    await check.check("meta", "0532 123 45 67");
    expect(check.result).toBeNull();
    commands.whatsappWindow.mockResolvedValueOnce(ok(open));
    await check.check("meta", "0532 123 45 67");
    commands.whatsappWindow.mockResolvedValueOnce(failed("validation.phone", "to"));
    await check.check("meta", "0532");
    expect(check.result).toBeNull();
  });

  it("takes only the latest check's answer, and none after clear", async () => {
    const check = new WhatsappWindowCheck();
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    commands.whatsappWindow.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const a = check.check("meta", "0532 111 11 11");
    const b = check.check("meta", "0532 222 22 22");
    second.resolve(ok({ lastReceivedAt: null, openUntil: null, open: false }));
    await b;
    first.resolve(ok(open));
    await a;
    expect(check.result).toEqual({ lastReceivedAt: null, openUntil: null, open: false });

    const third = deferred<unknown>();
    commands.whatsappWindow.mockReturnValueOnce(third.promise);
    const c = check.check("meta", "0532 333 33 33");
    check.clear();
    third.resolve(ok(open));
    await c;
    expect(check.result).toBeNull();
  });
});
