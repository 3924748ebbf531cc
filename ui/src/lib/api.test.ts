import { afterEach, describe, expect, it, vi } from "vitest";
import { onOutboxChanged } from "./api";

type Handler = (event: { event: string; payload: unknown }) => void;

/** A stand-in for Tauri's window internals: enough for listen/unlisten. */
function fakeTauri() {
  const handlers = new Map<number, Handler>();
  const calls: [string, Record<string, unknown>][] = [];
  let next = 1;
  const internals = {
    transformCallback: (cb: Handler) => {
      const id = next++;
      handlers.set(id, cb);
      return id;
    },
    invoke: async (cmd: string, args: Record<string, unknown>) => {
      calls.push([cmd, args]);
      if (cmd === "plugin:event|listen") return 100 + (args.handler as number);
      return null;
    },
  };
  (globalThis as Record<string, unknown>).window = {
    __TAURI_INTERNALS__: internals,
    __TAURI_EVENT_PLUGIN_INTERNALS__: { unregisterListener: () => {} },
  };
  const emit = (payload: unknown = null) => {
    for (const h of handlers.values()) h({ event: "outbox-changed", payload });
  };
  return { calls, emit };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  delete (globalThis as Record<string, unknown>).window;
});

describe("onOutboxChanged", () => {
  it("calls the handler on each event and unlistens", async () => {
    const tauri = fakeTauri();
    const handler = vi.fn();
    const stop = onOutboxChanged(handler);
    await settle();
    expect(tauri.calls[0]?.[0]).toBe("plugin:event|listen");
    expect(tauri.calls[0]?.[1].event).toBe("outbox-changed");
    tauri.emit();
    tauri.emit();
    expect(handler).toHaveBeenCalledTimes(2);
    stop();
    await settle();
    expect(tauri.calls.map((c) => c[0])).toContain("plugin:event|unlisten");
  });

  it("hands the handler the event's payload as the bindings type it", async () => {
    const tauri = fakeTauri();
    const handler = vi.fn();
    const stop = onOutboxChanged(handler);
    await settle();
    const change = {
      round: {
        sent: 3,
        failed: 1,
        retrying: 0,
        paused: false,
        lastSent: "Teklif",
        channels: ["email"],
        failures: [{ id: 7, subject: "Teklif", code: "noSuchRecipient" }],
      },
      messages: [{ id: 7, state: "failed" }],
    };
    tauri.emit(change);
    tauri.emit({ round: null, messages: [] });
    expect(handler).toHaveBeenNthCalledWith(1, change);
    expect(handler).toHaveBeenNthCalledWith(2, { round: null, messages: [] });
    stop();
  });

  it("unlistens even when stopped before the listener was set up", async () => {
    const tauri = fakeTauri();
    const stop = onOutboxChanged(() => {});
    stop();
    await settle();
    await settle();
    expect(tauri.calls.map((c) => c[0])).toEqual(["plugin:event|listen", "plugin:event|unlisten"]);
  });

  it("does nothing outside Tauri, without throwing", async () => {
    const stop = onOutboxChanged(() => {});
    await settle();
    expect(() => stop()).not.toThrow();
  });
});
