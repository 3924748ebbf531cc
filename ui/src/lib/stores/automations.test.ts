import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Automation, EventEmitted } from "../bindings";
import { AutomationsStore } from "./automations.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  listAutomations: vi.fn(),
  setAutomationEnabled: vi.fn(),
  saveAutomation: vi.fn(),
  automationEventToken: vi.fn(),
  emitAutomationEvent: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function rule(id: number, over: Partial<Automation> = {}): Automation {
  return {
    id,
    name: `Kural ${id}`,
    event: "quote.sent",
    actions: [{ kind: "sms", provider: null, text: "Merhaba {{ contact.first_name }}" }],
    enabled: false,
    seed: null,
    lastRuns: [],
    ...over,
  };
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("AutomationsStore", () => {
  it("loads the rules, or keeps why it could not", async () => {
    const store = new AutomationsStore();
    expect(store.loading).toBe(true);
    commands.listAutomations.mockResolvedValueOnce(ok([rule(1), rule(2)]));
    await store.load();
    expect(store.items.map((a) => a.id)).toEqual([1, 2]);
    expect(store.loading).toBe(false);
    commands.listAutomations.mockResolvedValueOnce(failed("store.io"));
    await store.load();
    expect(store.error?.code).toBe("store.io");
    expect(store.items).toHaveLength(2);
  });

  it("turns a rule on in place; a read that started before does not undo it", async () => {
    const store = new AutomationsStore();
    commands.listAutomations.mockResolvedValueOnce(ok([rule(1), rule(2)]));
    await store.load();
    const late = deferred<ReturnType<typeof ok<Automation[]>>>();
    commands.listAutomations.mockReturnValueOnce(late.promise);
    const reading = store.refresh();
    commands.setAutomationEnabled.mockResolvedValueOnce(ok(rule(2, { enabled: true })));
    const res = await store.setEnabled(2, true);
    expect(res.status).toBe("ok");
    expect(commands.setAutomationEnabled).toHaveBeenCalledWith(2, true);
    late.resolve(ok([rule(1), rule(2)]));
    await reading;
    expect(store.items.map((a) => a.enabled)).toEqual([false, true]);
  });

  it("keeps the list as it was when switching fails", async () => {
    const store = new AutomationsStore();
    commands.listAutomations.mockResolvedValueOnce(ok([rule(1)]));
    await store.load();
    commands.setAutomationEnabled.mockResolvedValueOnce(failed("automation.not_found"));
    const res = await store.setEnabled(1, true);
    expect(res.status).toBe("error");
    expect(store.items[0]?.enabled).toBe(false);
  });

  it("saves a rule: in place, or at the end for a new one", async () => {
    const store = new AutomationsStore();
    commands.listAutomations.mockResolvedValueOnce(ok([rule(1)]));
    await store.load();
    const input = { name: "Yeni ad", event: "deal.created", actions: rule(1).actions };
    commands.saveAutomation.mockResolvedValueOnce(ok(rule(1, { name: "Yeni ad", event: "deal.created" })));
    await store.save(1, input);
    expect(commands.saveAutomation).toHaveBeenCalledWith(1, input);
    expect(store.items[0]?.name).toBe("Yeni ad");
    commands.saveAutomation.mockResolvedValueOnce(ok(rule(5)));
    await store.save(null, input);
    expect(store.items.map((a) => a.id)).toEqual([1, 5]);
    commands.saveAutomation.mockResolvedValueOnce(failed("validation.required", "template"));
    const res = await store.save(1, input);
    expect(res.status === "error" && res.error.field).toBe("template");
    expect(store.items).toHaveLength(2);
  });

  it("sends a test event, then reads the rules again for their last runs", async () => {
    const store = new AutomationsStore();
    commands.listAutomations.mockResolvedValueOnce(ok([rule(1, { enabled: true })]));
    await store.load();
    const run = { eventId: "deneme-1", ranAt: "2026-12-07T09:00:00Z", outcome: "queued", actions: [] };
    const emitted: EventEmitted = { eventId: "deneme-1", duplicate: false, runs: [{ automationId: 1, name: "Kural 1", run }] };
    commands.emitAutomationEvent.mockResolvedValueOnce(ok(emitted));
    commands.listAutomations.mockResolvedValueOnce(ok([rule(1, { enabled: true, lastRuns: [run] })]));
    const res = await store.emit('{"type": "quote.sent", "id": "deneme-1"}');
    expect(res).toEqual(ok(emitted));
    expect(commands.emitAutomationEvent).toHaveBeenCalledWith('{"type": "quote.sent", "id": "deneme-1"}');
    expect(store.items[0]?.lastRuns).toEqual([run]);
  });

  it("does not read the list again after a refused event", async () => {
    const store = new AutomationsStore();
    commands.listAutomations.mockResolvedValueOnce(ok([]));
    await store.load();
    commands.emitAutomationEvent.mockResolvedValueOnce(failed("event.bad_json"));
    const res = await store.emit("{");
    expect(res.status).toBe("error");
    expect(commands.listAutomations).toHaveBeenCalledTimes(1);
  });

  it("reads the token, or makes a new one", async () => {
    const store = new AutomationsStore();
    commands.automationEventToken.mockResolvedValueOnce(ok("ulak_evt_1"));
    expect(await store.token(false)).toEqual(ok("ulak_evt_1"));
    commands.automationEventToken.mockResolvedValueOnce(ok("ulak_evt_2"));
    expect(await store.token(true)).toEqual(ok("ulak_evt_2"));
    expect(commands.automationEventToken.mock.calls).toEqual([[false], [true]]);
  });

  it("takes no late answer once the page is gone", async () => {
    const store = new AutomationsStore();
    const late = deferred<ReturnType<typeof ok<Automation[]>>>();
    commands.listAutomations.mockReturnValueOnce(late.promise);
    const loading = store.load();
    store.close();
    late.resolve(ok([rule(1)]));
    await loading;
    expect(store.items).toEqual([]);
  });
});
