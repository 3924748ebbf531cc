import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection } from "../bindings";
import { TeamsStore } from "./teams.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  teamsStatus: vi.fn(),
  beginTeamsConnect: vi.fn(),
  finishTeamsConnect: vi.fn(),
  cancelConnect: vi.fn(),
  disconnectGrant: vi.fn(),
  testGrant: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const AUTHORIZE =
  "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?scope=https%3A%2F%2Fgraph.microsoft.com%2FOnlineMeetings.ReadWrite";

function connection(over: Partial<Connection> = {}): Connection {
  return {
    id: 9,
    workspaceId: 1,
    provider: "microsoft",
    address: "satis@firma.com.tr",
    scopes: ["https://graph.microsoft.com/OnlineMeetings.ReadWrite", "offline_access"],
    expiresAt: null,
    status: "active",
    createdAt: "2026-01-01 10:00:00",
    updatedAt: "2026-01-01 10:00:00",
    ...over,
  };
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("TeamsStore", () => {
  it("signs in with Microsoft's OAuth app", () => {
    expect(new TeamsStore().provider).toBe("microsoft");
  });

  it("reads Teams' account, keeping the last one when reading fails", async () => {
    const store = new TeamsStore();
    commands.teamsStatus.mockResolvedValueOnce(ok(connection()));
    expect((await store.loadStatus()).status).toBe("ok");
    expect(store.status?.address).toBe("satis@firma.com.tr");
    commands.teamsStatus.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.loadStatus()).toEqual(failed("store.not_open"));
    expect(store.status?.address).toBe("satis@firma.com.tr");
    commands.teamsStatus.mockResolvedValueOnce(ok(null));
    await store.loadStatus();
    expect(store.status).toBeNull();
  });

  it("connects through Teams' own sign-in: waits with its address, then takes the account", async () => {
    const store = new TeamsStore();
    const finish = deferred<{ status: "ok"; data: Connection }>();
    commands.beginTeamsConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishTeamsConnect.mockReturnValueOnce(finish.promise);
    const running = store.connect("satis@firma.com.tr");
    await settle();
    expect(commands.beginTeamsConnect).toHaveBeenCalledWith("satis@firma.com.tr");
    expect(store.connecting).toEqual({ url: AUTHORIZE });
    finish.resolve(ok(connection()));
    expect(await running).toEqual(ok(connection()));
    expect(store.connecting).toBeNull();
    expect(store.status).toEqual(connection());
  });

  it("gives a cancelled sign-in back and cancels through the backend", async () => {
    const store = new TeamsStore();
    commands.beginTeamsConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishTeamsConnect.mockResolvedValueOnce(failed("oauth.cancelled"));
    expect(await store.connect(null)).toEqual(failed("oauth.cancelled"));
    expect(commands.beginTeamsConnect).toHaveBeenCalledWith(null);
    expect(store.connecting).toBeNull();
    expect(store.status).toBeNull();
    commands.cancelConnect.mockResolvedValueOnce(ok(true));
    expect(await store.cancelConnect()).toEqual(ok(true));
  });

  it("removes its connection, and keeps it when that fails", async () => {
    const store = new TeamsStore();
    commands.teamsStatus.mockResolvedValueOnce(ok(connection()));
    await store.loadStatus();
    commands.disconnectGrant.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.disconnect(9)).toEqual(failed("store.not_open"));
    expect(store.status?.id).toBe(9);
    // Microsoft offers no revocation: the tokens are only deleted here.
    const removed = { revocation: "not_offered" as const, accountsRemoved: 0 };
    commands.disconnectGrant.mockResolvedValueOnce(ok(removed));
    expect(await store.disconnect(9)).toEqual(ok(removed));
    expect(commands.disconnectGrant).toHaveBeenCalledWith(9);
    expect(store.status).toBeNull();
  });

  it("tests its connection with a fresh token from Microsoft", async () => {
    const store = new TeamsStore();
    commands.testGrant.mockResolvedValueOnce(ok(null));
    expect(await store.test(9)).toEqual(ok(null));
    expect(commands.testGrant).toHaveBeenCalledWith(9);
    commands.testGrant.mockResolvedValueOnce(failed("oauth.reconnect"));
    expect(await store.test(9)).toEqual(failed("oauth.reconnect"));
  });

  it("leaves another account in place when an older connection is removed", async () => {
    const store = new TeamsStore();
    commands.teamsStatus.mockResolvedValueOnce(ok(connection({ id: 12 })));
    await store.loadStatus();
    commands.disconnectGrant.mockResolvedValueOnce(ok({ revocation: "not_offered", accountsRemoved: 0 }));
    await store.disconnect(9);
    expect(store.status?.id).toBe(12);
  });
});
