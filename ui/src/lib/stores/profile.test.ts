import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Profile } from "../bindings";
import { ProfileStore } from "./profile.svelte";
import { failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({ getProfile: vi.fn(), saveProfile: vi.fn() }));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const profile: Profile = {
  workspaceId: 1,
  displayName: "Ayşe",
  senderEmail: "ayse@firma.com.tr",
  senderName: "Ayşe Yılmaz",
  updatedAt: null,
};

beforeEach(() => {
  vi.resetAllMocks();
});

describe("ProfileStore", () => {
  it("loads the profile, or gives the error", async () => {
    const store = new ProfileStore();
    expect(store.loading).toBe(true);
    commands.getProfile.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.loading).toBe(false);
    expect(store.error?.code).toBe("store.not_open");
    commands.getProfile.mockResolvedValueOnce(ok(profile));
    await store.load();
    expect(store.error).toBeNull();
    expect(store.profile).toEqual(profile);
  });

  it("keeps what was saved, and nothing that was not", async () => {
    const store = new ProfileStore();
    const input = { displayName: "A", senderEmail: "a@firma.com.tr", senderName: "" };
    commands.saveProfile.mockResolvedValueOnce(failed("validation.email", "senderEmail"));
    expect((await store.save(input)).status).toBe("error");
    expect(store.profile).toBeNull();
    commands.saveProfile.mockResolvedValueOnce(ok({ ...profile, ...input }));
    await store.save(input);
    expect(commands.saveProfile).toHaveBeenLastCalledWith(input);
    expect(store.profile?.senderEmail).toBe("a@firma.com.tr");
  });
});
