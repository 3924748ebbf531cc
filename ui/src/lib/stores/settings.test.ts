import { beforeEach, describe, expect, it, vi } from "vitest";
import type { EventPrefs, NoticePrefs, NoticeSettings } from "../bindings";
import { NoticeSettingsStore, saveLanguage } from "./settings.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  setLanguage: vi.fn(),
  getNoticeSettings: vi.fn(),
  saveNoticeSettings: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const PREFS: NoticePrefs = {
  events: [
    { event: "message.sent", channels: [], minIntervalSecs: 0, digestSecs: 0 },
    { event: "message.failed", channels: ["email", "desktop"], minIntervalSecs: 0, digestSecs: 0 },
    { event: "webhook.failing", channels: ["desktop"], minIntervalSecs: 0, digestSecs: 0 },
  ],
  stuckAfterMinutes: 15,
};
const ON: NoticeSettings = { enabled: true, prefs: PREFS };
const OFF: NoticeSettings = { enabled: false, prefs: PREFS };

/** The stored row of an event. */
function row(settings: NoticeSettings | null, event: string): EventPrefs | undefined {
  return settings?.prefs.events.find((p) => p.event === event);
}

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
    const stored = { enabled: false, prefs: { events: [], stuckAfterMinutes: 15 } };
    answer.resolve(ok(stored));
    expect(await saving).toEqual(ok(stored));
    expect(store.saving).toBe(false);
    expect(store.settings).toEqual(stored);
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

  it("goes back to what an earlier save stored when the latest fails", async () => {
    const store = await loaded();
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    commands.saveNoticeSettings.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const older = store.save(OFF);
    const newer = store.save(ON);
    first.resolve(ok(OFF));
    expect(await older).toBeNull();
    second.resolve(failed("internal"));
    expect(await newer).toEqual(failed("internal"));
    expect(store.settings).toEqual(OFF);
  });

  it("switches desktop notifications off and on, keeping the matrix", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    await store.setEnabled(false);
    expect(commands.saveNoticeSettings).toHaveBeenLastCalledWith(OFF);
    expect(store.settings).toEqual(OFF);
  });

  it("toggles only the desktop among an event's channels", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    await store.setDesktop("message.failed", false);
    expect(row(store.settings, "message.failed")?.channels).toEqual(["email"]);
    await store.setDesktop("message.failed", true);
    expect(row(store.settings, "message.failed")?.channels).toEqual(["desktop", "email"]);
    await store.setDesktop("message.sent", true);
    expect(row(store.settings, "message.sent")?.channels).toEqual(["desktop"]);
    expect(row(store.settings, "webhook.failing")).toEqual(PREFS.events[2]);
    expect(store.settings?.enabled).toBe(true);
    expect(commands.saveNoticeSettings).toHaveBeenCalledTimes(3);
  });

  it("toggles Slack and Telegram for an event, keeping its other channels", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    await store.setChannel("message.failed", "slack", true);
    expect(row(store.settings, "message.failed")?.channels).toEqual(["email", "desktop", "slack"]);
    await store.setChannel("message.failed", "telegram", true);
    expect(row(store.settings, "message.failed")?.channels).toEqual([
      "email",
      "desktop",
      "slack",
      "telegram",
    ]);
    await store.setChannel("message.failed", "slack", false);
    expect(row(store.settings, "message.failed")?.channels).toEqual(["email", "desktop", "telegram"]);
    await store.setChannel("webhook.failing", "telegram", true);
    expect(row(store.settings, "webhook.failing")?.channels).toEqual(["desktop", "telegram"]);
    expect(row(store.settings, "message.sent")).toEqual(PREFS.events[0]);
    // The master switch is the desktop's: choosing a chat leaves it as it is.
    expect(store.settings?.enabled).toBe(true);
    expect(commands.saveNoticeSettings).toHaveBeenCalledTimes(4);
    expect(commands.saveNoticeSettings).toHaveBeenLastCalledWith(store.settings);
  });

  it("keeps a chat choice when the desktop notifications are switched off", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    await store.setChannel("message.sent", "telegram", true);
    await store.setEnabled(false);
    expect(store.settings?.enabled).toBe(false);
    expect(row(store.settings, "message.sent")?.channels).toEqual(["telegram"]);
  });

  it("sets an event's frequency from the select's value", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    await store.setFrequency("message.failed", "digest:60");
    expect(row(store.settings, "message.failed")).toMatchObject({ minIntervalSecs: 0, digestSecs: 60 });
    await store.setFrequency("message.failed", "every:900");
    expect(row(store.settings, "message.failed")).toMatchObject({ minIntervalSecs: 900, digestSecs: 0 });
    await store.setFrequency("message.failed", "now");
    expect(row(store.settings, "message.failed")).toEqual(PREFS.events[1]);
    expect(row(store.settings, "message.sent")).toEqual(PREFS.events[0]);
  });

  it("saves the stuck threshold with the rest of the prefs", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    const res = await store.setStuckMinutes(60);
    const saved: NoticeSettings = { enabled: true, prefs: { ...PREFS, stuckAfterMinutes: 60 } };
    expect(res).toEqual(ok(saved));
    expect(commands.saveNoticeSettings).toHaveBeenCalledTimes(1);
    expect(commands.saveNoticeSettings).toHaveBeenLastCalledWith(saved);
    expect(store.settings).toEqual(saved);
    // A later matrix change keeps it.
    await store.setDesktop("message.sent", true);
    expect(store.settings?.prefs.stuckAfterMinutes).toBe(60);
    expect(commands.saveNoticeSettings).toHaveBeenLastCalledWith(store.settings);
  });

  it("saves no stuck threshold out of range, and puts it back when saving fails", async () => {
    const store = await loaded();
    for (const minutes of [0, 4, 1441, 7.5, Number.NaN]) {
      expect(await store.setStuckMinutes(minutes)).toBeNull();
    }
    expect(commands.saveNoticeSettings).not.toHaveBeenCalled();
    commands.saveNoticeSettings.mockResolvedValueOnce(failed("validation.range"));
    expect(await store.setStuckMinutes(1440)).toEqual(failed("validation.range"));
    expect(store.settings).toEqual(ON);
  });

  it("saves where notification e-mails go with the rest, and turns them off", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockImplementation((s: unknown) => Promise.resolve(ok(s)));
    const on = await store.setEmail({ address: " isil@ozturkgida.com.tr ", accountId: 3 });
    const saved: NoticeSettings = { ...ON, email: { address: "isil@ozturkgida.com.tr", accountId: 3 } };
    expect(on).toEqual(ok(saved));
    expect(commands.saveNoticeSettings).toHaveBeenLastCalledWith(saved);
    expect(store.settings).toEqual(saved);
    // A matrix change keeps it; choosing the e-mail column keeps the other channels.
    await store.setChannel("message.failed", "email", false);
    await store.setChannel("message.failed", "email", true);
    expect(store.settings?.email).toEqual(saved.email);
    expect(row(store.settings, "message.failed")?.channels).toEqual(["desktop", "email"]);
    // Off: no address, the matrix's e-mail choices kept.
    await store.setEmail(null);
    expect(commands.saveNoticeSettings).toHaveBeenLastCalledWith({ ...store.settings, email: null });
    expect(store.settings?.email).toBeNull();
    expect(row(store.settings, "message.failed")?.channels).toEqual(["desktop", "email"]);
    // The sandbox: no account.
    await store.setEmail({ address: "isil@ozturkgida.com.tr", accountId: null });
    expect(store.settings?.email).toEqual({ address: "isil@ozturkgida.com.tr", accountId: null });
  });

  it("puts the stored e-mail setting back when the address is refused", async () => {
    const store = await loaded();
    commands.saveNoticeSettings.mockResolvedValueOnce(failed("validation.email", "notifyEmail"));
    const res = await store.setEmail({ address: "isil@firma", accountId: null });
    expect(res).toEqual(failed("validation.email", "notifyEmail"));
    expect(store.settings).toEqual(ON);
    expect(store.saving).toBe(false);
  });

  it("saves nothing before the settings are read, nor a value that is no frequency", async () => {
    const fresh = new NoticeSettingsStore();
    expect(await fresh.setDesktop("message.sent", true)).toBeNull();
    expect(await fresh.setChannel("message.sent", "slack", true)).toBeNull();
    expect(await fresh.setEnabled(false)).toBeNull();
    expect(await fresh.setStuckMinutes(30)).toBeNull();
    expect(await fresh.setEmail({ address: "isil@ozturkgida.com.tr", accountId: null })).toBeNull();
    const store = await loaded();
    expect(await store.setFrequency("message.failed", "sometimes")).toBeNull();
    expect(commands.saveNoticeSettings).not.toHaveBeenCalled();
    expect(store.settings).toEqual(ON);
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
