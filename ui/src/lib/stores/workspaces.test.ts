import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Workspace } from "../bindings";
import { WorkspacesStore } from "./workspaces.svelte";
import { failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  listWorkspaces: vi.fn(),
  switchWorkspace: vi.fn(),
  createWorkspace: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const ws = (id: number, active = false): Workspace => ({ id, name: `W${id}`, active, createdAt: "" });

beforeEach(() => {
  vi.resetAllMocks();
});

describe("WorkspacesStore", () => {
  it("keeps the list when a read fails, and clears the error with the next one", async () => {
    const store = new WorkspacesStore();
    commands.listWorkspaces.mockResolvedValueOnce(ok([ws(1, true), ws(2)]));
    await store.load();
    commands.listWorkspaces.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.error?.code).toBe("store.not_open");
    expect(store.items.map((w) => w.id)).toEqual([1, 2]);
    commands.listWorkspaces.mockResolvedValueOnce(ok([ws(1, true)]));
    await store.load();
    expect(store.error).toBeNull();
    expect(store.items.map((w) => w.id)).toEqual([1]);
  });

  it("switches and creates without reading the list again", async () => {
    const store = new WorkspacesStore();
    commands.switchWorkspace.mockResolvedValueOnce(ok(ws(2, true)));
    commands.createWorkspace.mockResolvedValueOnce(ok(ws(3)));
    expect((await store.switchTo(2)).status).toBe("ok");
    expect((await store.create("Şube")).status).toBe("ok");
    expect(commands.switchWorkspace).toHaveBeenCalledWith(2);
    expect(commands.createWorkspace).toHaveBeenCalledWith("Şube");
    expect(commands.listWorkspaces).not.toHaveBeenCalled();
  });
});
