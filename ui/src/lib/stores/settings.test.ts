import { beforeEach, describe, expect, it, vi } from "vitest";
import { NoticeSettingsStore, saveLanguage } from "./settings.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  setLanguage: vi.fn(),
  getNoticeSettings: vi.fn(),
  saveNoticeSettings: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const ON = { enabled: true, onSent: true };
const OFF = { enabled: false, onSent: true };

async function loaded(): Promise<NoticeSettingsStore> {
  const store = new NoticeSettingsStore();
  commands.getNoticeSettings.mockResolvedValueOnce(ok(ON));
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("saveLanguage", () => {
  it("saves the language", async () => {
    commands.setLanguage.mockResolvedValueOnce(ok(null));
    expect(await saveLanguage("en")).toEqual(ok(null));
    expect(commands.setLanguage).toHaveBeenCalledWith("en");
  });
});

describe("NoticeSettingsStore", () => {
  it("loads the settings, or gives the error", async () => {
    const store = new NoticeSettingsStore();
    expect(store.loading).toBe(true);
    commands.getNoticeSettings.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.loading).toBe(false);
    expect(store.error?.code).toBe("store.not_open");
    expect(store.settings).toBeNull();
  });

  it("shows a change at once and takes what was stored", async () => {
    const store = await loaded();
    const answer = deferred<unknown>();
    commands.saveNoticeSettings.mockReturnValueOnce(answer.promise);
    const saving = store.save(OFF);
    expect(store.settings).toEqual(OFF);
    expect(store.saving).toBe(true);
    answer.resolve(ok({ enabled: false, onSent: false }));
    expect(await saving).toEqual(ok({ enabled: false, onSent: false }));
    expect(store.saving).toBe(false);
    expect(store.settings).toEqual({ enabled: false, onSent: false });
  });

  it("goes back to what is stored when saving fails", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockResolvedValueOnce(failed("internal"));
    expect(await store.save(OFF)).toEqual(failed("internal"));
    expect(store.settings).toEqual(ON);
  });

  it("lets only the latest of quick changes decide", async () => {
    const store = await loaded();
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    commands.saveNoticeSettings.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const older = store.save(OFF);
    const newer = store.save(ON);
    first.resolve(failed("internal"));
    expect(await older).toBeNull();
    expect(store.saving).toBe(true);
    expect(store.settings).toEqual(ON);
    second.resolve(ok(ON));
    expect((await newer)?.status).toBe("ok");
    expect(store.saving).toBe(false);
  });

  it("drops an answer that comes after close", async () => {
    const store = await loaded();
    const answer = deferred<unknown>();
    commands.saveNoticeSettings.mockReturnValueOnce(answer.promise);
    const saving = store.save(OFF);
    store.close();
    answer.resolve(failed("internal"));
    expect(await saving).toBeNull();
    expect(store.settings).toEqual(OFF);
  });
});
