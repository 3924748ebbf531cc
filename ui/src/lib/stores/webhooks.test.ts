import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Delivery, Endpoint, OutboxChanged } from "../bindings";
import { THROTTLE_MS } from "../progress";
import { TEST_FOLLOW_MS, TEST_POLL_MS, WebhooksStore } from "./webhooks.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const backend = vi.hoisted(() => {
  const handlers: ((event: { payload: unknown }) => void)[] = [];
  return {
    handlers,
    commands: {
      listWebhooks: vi.fn(),
      addWebhook: vi.fn(),
      removeWebhook: vi.fn(),
      rotateWebhookSecret: vi.fn(),
      sendWebhookTest: vi.fn(),
      webhookDeliveries: vi.fn(),
    },
    events: {
      outboxChanged: {
        listen: vi.fn(async (handler: (event: { payload: unknown }) => void) => {
          handlers.push(handler);
          return () => {
            handlers.splice(handlers.indexOf(handler), 1);
          };
        }),
      },
    },
  };
});
vi.mock("../bindings", async (original) => ({
  ...(await original<object>()),
  commands: backend.commands,
  events: backend.events,
}));
const { commands } = backend;

installRunes();

function endpoint(id: number, over: Partial<Endpoint> = {}): Endpoint {
  return {
    id,
    url: `https://hooks.example.com/${id}`,
    events: ["message.failed"],
    allowPrivate: false,
    previousUntil: null,
    failingSince: null,
    lastStatus: null,
    lastError: null,
    lastDeliveryAt: null,
    createdAt: "2026-12-07T09:00:00.000Z",
    ...over,
  };
}

function delivery(id: number, state: string, over: Partial<Delivery> = {}): Delivery {
  return {
    id,
    eventId: `msg_${id}`,
    event: "webhook.test",
    state,
    attempts: state === "queued" ? 0 : 1,
    answer: state === "sent" ? "HTTP 200: {}" : null,
    lastError: null,
    nextAttemptAt: null,
    createdAt: "2026-12-07T09:00:00.000Z",
    updatedAt: "2026-12-07T09:00:01.000Z",
    ...over,
  };
}

const change: OutboxChanged = { round: null, messages: [] };

/** Lets the promise callbacks run (timers are fake here). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function emit(): void {
  for (const handler of [...backend.handlers]) handler({ payload: change });
}

async function loaded(...items: Endpoint[]): Promise<WebhooksStore> {
  const store = new WebhooksStore();
  commands.listWebhooks.mockResolvedValueOnce(ok(items));
  await store.load();
  return store;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.resetAllMocks();
  backend.events.outboxChanged.listen.mockImplementation(async (handler) => {
    backend.handlers.push(handler);
    return () => {
      backend.handlers.splice(backend.handlers.indexOf(handler), 1);
    };
  });
  backend.handlers.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("WebhooksStore: the list", () => {
  it("is loading until the list is read, then holds it", async () => {
    const store = new WebhooksStore();
    expect(store.loading).toBe(true);
    commands.listWebhooks.mockResolvedValueOnce(ok([endpoint(1)]));
    expect((await store.load()).status).toBe("ok");
    expect(store.loading).toBe(false);
    expect(store.error).toBeNull();
    expect(store.items.map((e) => e.id)).toEqual([1]);
  });

  it("keeps the list and gives the error when reading fails", async () => {
    const store = await loaded(endpoint(1));
    commands.listWebhooks.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.error?.code).toBe("store.not_open");
    expect(store.items).toHaveLength(1);
  });

  it("turns a thrown invoke (outside Tauri) into an error", async () => {
    const store = new WebhooksStore();
    commands.listWebhooks.mockRejectedValueOnce(new Error("no window.__TAURI__"));
    await store.load();
    expect(store.error?.code).toBe("ui.backend_unreachable");
    expect(store.loading).toBe(false);
  });

  it("reads the list again after each worker round while followed, and stops", async () => {
    const store = await loaded(endpoint(1));
    const stop = store.follow();
    await flush();
    commands.listWebhooks.mockResolvedValue(ok([endpoint(1, { lastStatus: 200 })]));
    emit();
    await flush();
    expect(store.items[0]?.lastStatus).toBe(200);
    stop();
    await flush();
    expect(backend.handlers).toHaveLength(0);
  });

  it("reads open logs again on the worker's events, and forgets closed ones", async () => {
    const store = await loaded(endpoint(1));
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(9, "retry")]));
    await store.loadDeliveries(1);
    const stop = store.follow();
    await flush();
    commands.listWebhooks.mockResolvedValue(ok([endpoint(1)]));
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(9, "sent")]));
    emit();
    await flush();
    expect(store.deliveries[1]?.[0]?.state).toBe("sent");
    store.forgetDeliveries(1);
    expect(store.deliveries[1]).toBeUndefined();
    vi.advanceTimersByTime(THROTTLE_MS);
    emit();
    await flush();
    expect(commands.webhookDeliveries).toHaveBeenCalledTimes(2);
    stop();
  });
});

describe("WebhooksStore: adding, removing, renewing", () => {
  it("adds an endpoint and shows its secret once, never in the list", async () => {
    const store = await loaded();
    const input = { url: "https://hooks.example.com/4", events: ["*"], allowPrivate: false };
    commands.addWebhook.mockResolvedValueOnce(ok({ endpoint: endpoint(4), secret: "whsec_abc" }));
    expect(await store.add(input)).toEqual(ok("whsec_abc"));
    expect(commands.addWebhook).toHaveBeenCalledWith(input);
    expect(store.items.map((e) => e.id)).toEqual([4]);
    expect(store.shown).toEqual({
      endpointId: 4,
      url: "https://hooks.example.com/4",
      secret: "whsec_abc",
      rotated: false,
    });
    expect(JSON.stringify(store.items)).not.toContain("whsec_abc");
    store.closeSecret();
    expect(store.shown).toBeNull();
  });

  it("passes a refusal on and leaves the list alone", async () => {
    const store = await loaded(endpoint(1));
    commands.addWebhook.mockResolvedValueOnce(failed("webhook.private_address", "url"));
    const res = await store.add({ url: "https://10.0.0.5/", events: ["*"] });
    expect(res.status === "error" && res.error.field).toBe("url");
    expect(store.items).toHaveLength(1);
    expect(store.shown).toBeNull();
  });

  it("removes an endpoint, its log and its secret on show; one already gone too", async () => {
    const store = await loaded(endpoint(1), endpoint(2));
    commands.addWebhook.mockResolvedValueOnce(ok({ endpoint: endpoint(3), secret: "whsec_3" }));
    await store.add({ url: "https://hooks.example.com/3", events: ["*"] });
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(7, "sent")]));
    await store.loadDeliveries(3);
    commands.removeWebhook.mockResolvedValueOnce(ok(null));
    expect(await store.remove(3)).toEqual(ok(null));
    expect(commands.removeWebhook).toHaveBeenCalledWith(3);
    expect(store.items.map((e) => e.id)).toEqual([1, 2]);
    expect(store.deliveries[3]).toBeUndefined();
    expect(store.shown).toBeNull();
    commands.removeWebhook.mockResolvedValueOnce(failed("webhook.not_found"));
    expect((await store.remove(2)).status).toBe("ok");
    expect(store.items.map((e) => e.id)).toEqual([1]);
  });

  it("keeps an endpoint it could not remove", async () => {
    const store = await loaded(endpoint(1));
    commands.removeWebhook.mockResolvedValueOnce(failed("store.database"));
    expect((await store.remove(1)).status).toBe("error");
    expect(store.items).toHaveLength(1);
  });

  it("renews a secret, shows it once and reads until when the old one signs", async () => {
    const store = await loaded(endpoint(1));
    commands.rotateWebhookSecret.mockResolvedValueOnce(ok("whsec_new"));
    const later = endpoint(1, { previousUntil: "2026-12-08T09:00:00.000Z" });
    commands.listWebhooks.mockResolvedValueOnce(ok([later]));
    expect(await store.rotate(1)).toEqual(ok("whsec_new"));
    expect(commands.rotateWebhookSecret).toHaveBeenCalledWith(1);
    expect(store.shown).toEqual({
      endpointId: 1,
      url: "https://hooks.example.com/1",
      secret: "whsec_new",
      rotated: true,
    });
    expect(store.items[0]?.previousUntil).toBe("2026-12-08T09:00:00.000Z");
  });

  it("shows no secret when renewing fails", async () => {
    const store = await loaded(endpoint(1));
    commands.rotateWebhookSecret.mockResolvedValueOnce(failed("webhook.not_found"));
    expect((await store.rotate(1)).status).toBe("error");
    expect(store.shown).toBeNull();
  });

  it("drops the secret and late answers once closed", async () => {
    const store = await loaded(endpoint(1));
    commands.rotateWebhookSecret.mockResolvedValueOnce(ok("whsec_new"));
    commands.listWebhooks.mockResolvedValueOnce(ok([endpoint(1)]));
    await store.rotate(1);
    const answer = deferred<unknown>();
    commands.addWebhook.mockReturnValueOnce(answer.promise);
    const adding = store.add({ url: "https://hooks.example.com/2", events: ["*"] });
    store.close();
    expect(store.shown).toBeNull();
    answer.resolve(ok({ endpoint: endpoint(2), secret: "whsec_2" }));
    await adding;
    expect(store.shown).toBeNull();
    expect(store.items.map((e) => e.id)).toEqual([1]);
  });
});

describe("WebhooksStore: the delivery log and the test event", () => {
  it("reads a log; an older answer never replaces a newer one", async () => {
    const store = await loaded(endpoint(1));
    const older = deferred<unknown>();
    const newer = deferred<unknown>();
    commands.webhookDeliveries
      .mockReturnValueOnce(older.promise)
      .mockReturnValueOnce(newer.promise);
    const first = store.loadDeliveries(1);
    expect(store.deliveriesLoading[1]).toBe(true);
    const second = store.loadDeliveries(1);
    newer.resolve(ok([delivery(2, "sent")]));
    await second;
    older.resolve(ok([delivery(1, "queued")]));
    await first;
    expect(store.deliveries[1]?.map((d) => d.id)).toEqual([2]);
    expect(store.deliveriesLoading[1]).toBeUndefined();
    expect(commands.webhookDeliveries).toHaveBeenCalledWith(1);
  });

  it("keeps a log's error apart, and clears it once read", async () => {
    const store = await loaded(endpoint(1));
    commands.webhookDeliveries.mockResolvedValueOnce(failed("webhook.not_found"));
    await store.loadDeliveries(1);
    expect(store.deliveryErrors[1]?.code).toBe("webhook.not_found");
    commands.webhookDeliveries.mockResolvedValueOnce(ok([]));
    await store.loadDeliveries(1);
    expect(store.deliveryErrors[1]).toBeUndefined();
    expect(store.deliveries[1]).toEqual([]);
  });

  it("follows a test's delivery every second and on events, until it settles", async () => {
    const store = await loaded(endpoint(1));
    commands.sendWebhookTest.mockResolvedValueOnce(ok(42));
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(42, "queued")]));
    expect(await store.sendTest(1)).toEqual(ok(42));
    expect(commands.sendWebhookTest).toHaveBeenCalledWith(1);
    await flush();
    expect(store.tests[1]).toEqual({ messageId: 42, following: true });
    expect(store.deliveries[1]?.[0]?.state).toBe("queued");

    // A poll: still being sent.
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(42, "sending")]));
    vi.advanceTimersByTime(TEST_POLL_MS);
    await flush();
    expect(store.deliveries[1]?.[0]?.state).toBe("sending");

    // The worker's event: delivered; following stops and the badge is read again.
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(42, "sent")]));
    commands.listWebhooks.mockResolvedValueOnce(ok([endpoint(1, { lastStatus: 200 })]));
    emit();
    await flush();
    expect(store.deliveries[1]?.[0]?.state).toBe("sent");
    expect(store.tests[1]?.following).toBe(false);
    expect(store.items[0]?.lastStatus).toBe(200);
    expect(backend.handlers).toHaveLength(0);
    const reads = commands.webhookDeliveries.mock.calls.length;
    vi.advanceTimersByTime(TEST_POLL_MS * 3);
    await flush();
    expect(commands.webhookDeliveries).toHaveBeenCalledTimes(reads);
  });

  it("keeps following through a retry", async () => {
    const store = await loaded(endpoint(1));
    commands.sendWebhookTest.mockResolvedValueOnce(ok(5));
    commands.webhookDeliveries.mockResolvedValue(
      ok([delivery(5, "retry", { lastError: "HTTP 429" })]),
    );
    await store.sendTest(1);
    await flush();
    vi.advanceTimersByTime(TEST_POLL_MS);
    await flush();
    expect(store.tests[1]?.following).toBe(true);
    commands.webhookDeliveries.mockResolvedValue(ok([delivery(5, "sent")]));
    commands.listWebhooks.mockResolvedValue(ok([endpoint(1)]));
    vi.advanceTimersByTime(TEST_POLL_MS);
    await flush();
    expect(store.tests[1]?.following).toBe(false);
  });

  it("gives up following after 30 seconds", async () => {
    const store = await loaded(endpoint(1));
    commands.sendWebhookTest.mockResolvedValueOnce(ok(5));
    commands.webhookDeliveries.mockResolvedValue(ok([delivery(5, "queued")]));
    commands.listWebhooks.mockResolvedValue(ok([endpoint(1)]));
    await store.sendTest(1);
    for (let t = 0; t < TEST_FOLLOW_MS; t += TEST_POLL_MS) {
      vi.advanceTimersByTime(TEST_POLL_MS);
      await flush();
    }
    expect(store.tests[1]?.following).toBe(false);
    const reads = commands.webhookDeliveries.mock.calls.length;
    expect(reads).toBeLessThanOrEqual(TEST_FOLLOW_MS / TEST_POLL_MS + 1);
    vi.advanceTimersByTime(TEST_POLL_MS * 5);
    await flush();
    expect(commands.webhookDeliveries).toHaveBeenCalledTimes(reads);
  });

  it("reads one at a time: an event during a read asks for one more after it", async () => {
    const store = await loaded(endpoint(1));
    commands.sendWebhookTest.mockResolvedValueOnce(ok(5));
    const slow = deferred<unknown>();
    commands.webhookDeliveries.mockReturnValueOnce(slow.promise);
    await store.sendTest(1);
    emit();
    emit();
    expect(commands.webhookDeliveries).toHaveBeenCalledTimes(1);
    commands.webhookDeliveries.mockResolvedValueOnce(ok([delivery(5, "sending")]));
    slow.resolve(ok([delivery(5, "queued")]));
    await flush();
    expect(commands.webhookDeliveries).toHaveBeenCalledTimes(2);
    store.close();
  });

  it("follows nothing when the test could not be queued", async () => {
    const store = await loaded(endpoint(1));
    commands.sendWebhookTest.mockResolvedValueOnce(failed("webhook.not_found"));
    const res = await store.sendTest(1);
    expect(res.status === "error" && res.error.code).toBe("webhook.not_found");
    expect(store.tests[1]).toBeUndefined();
    expect(commands.webhookDeliveries).not.toHaveBeenCalled();
  });

  it("stops following when the page closes, and when the endpoint is removed", async () => {
    const store = await loaded(endpoint(1), endpoint(2));
    commands.sendWebhookTest.mockResolvedValue(ok(5));
    commands.webhookDeliveries.mockResolvedValue(ok([delivery(5, "queued")]));
    await store.sendTest(1);
    await store.sendTest(2);
    await flush();
    commands.removeWebhook.mockResolvedValueOnce(ok(null));
    await store.remove(2);
    expect(store.tests[2]).toBeUndefined();
    store.close();
    await flush();
    expect(backend.handlers).toHaveLength(0);
    const reads = commands.webhookDeliveries.mock.calls.length;
    vi.advanceTimersByTime(TEST_FOLLOW_MS);
    await flush();
    expect(commands.webhookDeliveries).toHaveBeenCalledTimes(reads);
  });
});
