import { afterEach, describe, expect, it, vi } from "vitest";
import { OUTBOX_CHANGED, onOutboxChanged, toRoundProgress } from "./api";

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
    for (const h of handlers.values()) h({ event: OUTBOX_CHANGED, payload });
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

  it("hands the handler the round's totals, typed", async () => {
    const tauri = fakeTauri();
    const handler = vi.fn();
    const stop = onOutboxChanged(handler);
    await settle();
    tauri.emit({
      sent: 3,
      failed: 1,
      retrying: 0,
      paused: false,
      lastSent: "2025-01-02T10:00:00Z",
      failures: [[7, "Teklif", "550 no such user"]],
    });
    tauri.emit(null);
    expect(handler).toHaveBeenNthCalledWith(1, {
      sent: 3,
      failed: 1,
      retrying: 0,
      paused: false,
      lastSent: "2025-01-02T10:00:00Z",
      failures: [[7, "Teklif", "550 no such user"]],
    });
    expect(handler).toHaveBeenNthCalledWith(2, null);
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

describe("toRoundProgress", () => {
  it("is null for null and non-objects", () => {
    expect(toRoundProgress(null)).toBeNull();
    expect(toRoundProgress(undefined)).toBeNull();
    expect(toRoundProgress(3)).toBeNull();
    expect(toRoundProgress([1, 2])).toBeNull();
  });

  it("tolerates missing and odd fields", () => {
    expect(toRoundProgress({})).toEqual({
      sent: 0,
      failed: 0,
      retrying: 0,
      paused: false,
      lastSent: null,
      failures: [],
    });
    expect(
      toRoundProgress({ sent: "2", failed: -1, retrying: 2, paused: true, failures: [[5], "x", [null, "a"]] }),
    ).toEqual({
      sent: 0,
      failed: 0,
      retrying: 2,
      paused: true,
      lastSent: null,
      failures: [[5, "", ""]],
    });
  });
});
