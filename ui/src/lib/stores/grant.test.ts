import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection } from "../bindings";
import { GrantStore } from "./grant.svelte";
import { failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  cancelConnect: vi.fn(),
  disconnectGrant: vi.fn(),
  testGrant: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function connection(over: Partial<Connection> = {}): Connection {
  return {
    id: 4,
    workspaceId: 1,
    provider: "google",
    address: "satis@firma.com.tr",
    scopes: ["https://www.googleapis.com/auth/calendar.events"],
    expiresAt: null,
    status: "active",
    createdAt: "2026-01-01 10:00:00",
    updatedAt: "2026-01-01 10:00:00",
    ...over,
  };
}

const status = vi.fn();

/** A card's sign-in, as the calendar's (its own three commands). */
function store(): GrantStore {
  return new GrantStore({ provider: "google", status, begin: vi.fn(), finish: vi.fn() });
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("GrantStore.test", () => {
  it("asks the backend for a fresh token for that connection, the account left as it is", async () => {
    const grant = store();
    status.mockResolvedValueOnce(ok(connection()));
    await grant.loadStatus();
    commands.testGrant.mockResolvedValueOnce(ok(null));
    expect(await grant.test(4)).toEqual(ok(null));
    expect(commands.testGrant).toHaveBeenCalledWith(4);
    expect(commands.testGrant).toHaveBeenCalledTimes(1);
    expect(grant.status).toEqual(connection());
    expect(status).toHaveBeenCalledTimes(1);
  });

  it("gives a withdrawn grant back; reading the account again shows it ended", async () => {
    const grant = store();
    status.mockResolvedValueOnce(ok(connection()));
    await grant.loadStatus();
    commands.testGrant.mockResolvedValueOnce(failed("oauth.reconnect"));
    expect(await grant.test(4)).toEqual(failed("oauth.reconnect"));
    // The test itself changes nothing here: the card reads the account again.
    expect(grant.status?.status).toBe("active");
    status.mockResolvedValueOnce(ok(connection({ status: "error" })));
    await grant.loadStatus();
    expect(grant.status?.status).toBe("error");
  });

  it("gives a provider out of reach back", async () => {
    const grant = store();
    commands.testGrant.mockResolvedValueOnce(failed("oauth.unreachable"));
    expect(await grant.test(4)).toEqual(failed("oauth.unreachable"));
  });

  it("turns a failed invoke into an error instead of throwing", async () => {
    const grant = store();
    commands.testGrant.mockRejectedValueOnce(new Error("invoke failed"));
    const res = await grant.test(4);
    expect(res.status).toBe("error");
    if (res.status === "error") {
      expect(res.error.code).toBe("ui.backend_unreachable");
      expect(res.error.message).toBe("invoke failed");
    }
  });
});
