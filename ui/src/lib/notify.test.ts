import { describe, expect, it } from "vitest";
import type { NoticeSettings } from "./bindings";
import { SANDBOX } from "./compose";
import { describeError } from "./i18n";
import {
  CHAT_NOTICE_CHANNELS,
  FREQUENCY_CHOICES,
  NOTICE_EVENTS,
  STUCK_MINUTES,
  chatChannelName,
  chatReady,
  defaultPrefs,
  emailAccountChoice,
  emailAccountOptions,
  emailChanged,
  emailReady,
  emailToSave,
  eventSlug,
  frequencyLabel,
  frequencyOptions,
  frequencyValue,
  isEmailFieldError,
  noticeEmail,
  noticeEventName,
  parseFrequency,
  parseStuckMinutes,
  prefsFor,
  stuckMinutes,
  stuckToSave,
  validateNoticeEmail,
  validateStuckMinutes,
  webhookCount,
  withChannel,
  withDesktop,
  withEmail,
  withFrequency,
  withStuckMinutes,
} from "./notify";

const SETTINGS: NoticeSettings = {
  enabled: true,
  prefs: {
    events: [
      { event: "message.sent", channels: [], minIntervalSecs: 0, digestSecs: 0 },
      { event: "message.failed", channels: ["telegram", "desktop"], minIntervalSecs: 300, digestSecs: 0 },
    ],
    stuckAfterMinutes: 15,
  },
};

describe("events", () => {
  it("lists failures first, with ids and words", () => {
    expect(NOTICE_EVENTS).toEqual([
      "message.failed",
      "message.stuck",
      "message.sent",
      "account.reconnect",
      "account.daily_limit",
      "campaign.finished",
      "integration.error",
      "webhook.failing",
    ]);
    expect(NOTICE_EVENTS.map(eventSlug)).toEqual([
      "message-failed",
      "message-stuck",
      "message-sent",
      "account-reconnect",
      "account-daily_limit",
      "campaign-finished",
      "integration-error",
      "webhook-failing",
    ]);
    expect(NOTICE_EVENTS.map((e) => noticeEventName(e, "tr"))).toEqual([
      "İleti gönderilemedi",
      "İleti 15 dakikadır gönderilemiyor",
      "İleti gönderildi",
      "Hesabın bağlantısı sona erdi",
      "Hesap günlük sınırına ulaştı",
      "Kampanya bitti",
      "Entegrasyon hata veriyor",
      "Webhook uç noktası yanıt vermiyor",
    ]);
    expect(noticeEventName("webhook.failing", "en")).toBe("Webhook endpoint not responding");
    expect(noticeEventName("message.stuck", "tr", 45)).toBe("İleti 45 dakikadır gönderilemiyor");
    expect(noticeEventName("message.stuck", "en", 60)).toBe("Message not sent for 60 minutes");
    expect(noticeEventName("message.stuck", "en")).toBe("Message not sent for 15 minutes");
  });

  it("has the backend's defaults: problems on the desktop, successes off", () => {
    expect(defaultPrefs("message.failed").channels).toEqual(["desktop"]);
    expect(defaultPrefs("webhook.failing").channels).toEqual(["desktop"]);
    expect(defaultPrefs("message.stuck").channels).toEqual(["desktop"]);
    expect(defaultPrefs("account.reconnect").channels).toEqual(["desktop"]);
    expect(defaultPrefs("campaign.finished").channels).toEqual(["desktop"]);
    expect(defaultPrefs("account.daily_limit").channels).toEqual(["desktop"]);
    expect(defaultPrefs("integration.error").channels).toEqual(["desktop"]);
    expect(defaultPrefs("message.sent")).toEqual({
      event: "message.sent",
      channels: [],
      minIntervalSecs: 0,
      digestSecs: 0,
    });
    expect(prefsFor(SETTINGS, "message.failed").minIntervalSecs).toBe(300);
    expect(prefsFor(SETTINGS, "webhook.failing")).toEqual(defaultPrefs("webhook.failing"));
  });
});

describe("withDesktop", () => {
  it("toggles the desktop and keeps the other channels", () => {
    const off = withDesktop(SETTINGS, "message.failed", false);
    expect(prefsFor(off, "message.failed")).toEqual({
      event: "message.failed",
      channels: ["telegram"],
      minIntervalSecs: 300,
      digestSecs: 0,
    });
    expect(prefsFor(withDesktop(off, "message.failed", true), "message.failed").channels).toEqual([
      "desktop",
      "telegram",
    ]);
    // Twice on is still once.
    expect(prefsFor(withDesktop(SETTINGS, "message.failed", true), "message.failed").channels).toEqual([
      "desktop",
      "telegram",
    ]);
    // Nothing else moves, and the input is left as it was.
    expect(off.prefs.events[0]).toBe(SETTINGS.prefs.events[0]);
    expect(off.enabled).toBe(true);
    expect(SETTINGS.prefs.events[1]?.channels).toEqual(["telegram", "desktop"]);
  });

  it("adds a missing event from its default", () => {
    const next = withDesktop(SETTINGS, "webhook.failing", false);
    expect(next.prefs.events).toHaveLength(3);
    expect(prefsFor(next, "webhook.failing")).toEqual({ ...defaultPrefs("webhook.failing"), channels: [] });
  });
});

describe("withChannel", () => {
  it("toggles Slack and Telegram, keeping the other channels and the frequency", () => {
    const slack = withChannel(SETTINGS, "message.failed", "slack", true);
    expect(prefsFor(slack, "message.failed")).toEqual({
      event: "message.failed",
      channels: ["telegram", "desktop", "slack"],
      minIntervalSecs: 300,
      digestSecs: 0,
    });
    // Twice on is still once.
    expect(prefsFor(withChannel(slack, "message.failed", "slack", true), "message.failed").channels).toEqual([
      "telegram",
      "desktop",
      "slack",
    ]);
    const noTelegram = withChannel(slack, "message.failed", "telegram", false);
    expect(prefsFor(noTelegram, "message.failed").channels).toEqual(["desktop", "slack"]);
    expect(noTelegram.prefs.events[0]).toBe(SETTINGS.prefs.events[0]);
    expect(SETTINGS.prefs.events[1]?.channels).toEqual(["telegram", "desktop"]);
  });

  it("adds a missing event from its default, with the channel", () => {
    const next = withChannel(SETTINGS, "webhook.failing", "telegram", true);
    expect(prefsFor(next, "webhook.failing").channels).toEqual(["desktop", "telegram"]);
    const sent = withChannel(SETTINGS, "message.sent", "slack", true);
    expect(prefsFor(sent, "message.sent").channels).toEqual(["slack"]);
    expect(prefsFor(withChannel(sent, "message.sent", "slack", false), "message.sent").channels).toEqual([]);
  });

  it("puts the desktop first, as withDesktop does", () => {
    const off = withChannel(SETTINGS, "message.failed", "desktop", false);
    expect(prefsFor(withChannel(off, "message.failed", "desktop", true), "message.failed").channels).toEqual([
      "desktop",
      "telegram",
    ]);
    expect(withDesktop(SETTINGS, "message.failed", false)).toEqual(off);
  });
});

describe("chat columns", () => {
  const item = (provider: string, over: { channel?: "chat" | "sms"; active?: boolean } = {}) => ({
    channel: over.channel ?? "chat",
    provider,
    active: over.active ?? true,
  });

  it("are Slack then Telegram, named by their specs", () => {
    expect(CHAT_NOTICE_CHANNELS).toEqual(["slack", "telegram"]);
    expect(CHAT_NOTICE_CHANNELS.map((c) => chatChannelName(c, "tr"))).toEqual(["Slack", "Telegram"]);
    expect(chatChannelName("telegram", "en")).toBe("Telegram");
  });

  it("can be chosen once the workspace has the integration, active", () => {
    expect(chatReady([], "slack")).toBe(false);
    expect(chatReady([item("slack")], "slack")).toBe(true);
    expect(chatReady([item("slack")], "telegram")).toBe(false);
    expect(chatReady([item("telegram", { active: false })], "telegram")).toBe(false);
    // Another channel's provider of the same name does not count.
    expect(chatReady([item("slack", { channel: "sms" })], "slack")).toBe(false);
    expect(chatReady([item("twilio", { channel: "sms" }), item("telegram")], "telegram")).toBe(true);
  });
});

describe("frequency", () => {
  it("gives the select's value, a digest winning over an interval", () => {
    expect(frequencyValue({ minIntervalSecs: 0, digestSecs: 0 })).toBe("now");
    expect(frequencyValue({ minIntervalSecs: 300, digestSecs: 0 })).toBe("every:300");
    expect(frequencyValue({ minIntervalSecs: 0, digestSecs: 600 })).toBe("digest:600");
    expect(frequencyValue({ minIntervalSecs: 900, digestSecs: 60 })).toBe("digest:60");
  });

  it("reads every choice back", () => {
    for (const value of FREQUENCY_CHOICES) {
      const freq = parseFrequency(value);
      expect(freq, value).not.toBeNull();
      if (freq) expect(frequencyValue(freq)).toBe(value);
    }
    expect(parseFrequency("every:120")).toEqual({ minIntervalSecs: 120, digestSecs: 0 });
    expect(parseFrequency("digest:3600")).toEqual({ minIntervalSecs: 0, digestSecs: 3600 });
    expect(parseFrequency("now")).toEqual({ minIntervalSecs: 0, digestSecs: 0 });
    for (const bad of ["", "every", "every:0", "every:-5", "digest:1.5", "daily:60", "every:01", " now"]) {
      expect(parseFrequency(bad), bad).toBeNull();
    }
  });

  it("sets a row's frequency, both fields at once", () => {
    const digest = withFrequency(SETTINGS, "message.failed", "digest:60");
    expect(digest && prefsFor(digest, "message.failed")).toEqual({
      event: "message.failed",
      channels: ["telegram", "desktop"],
      minIntervalSecs: 0,
      digestSecs: 60,
    });
    const now = withFrequency(SETTINGS, "message.failed", "now");
    expect(now && prefsFor(now, "message.failed")).toMatchObject({ minIntervalSecs: 0, digestSecs: 0 });
    expect(withFrequency(SETTINGS, "message.failed", "often")).toBeNull();
  });

  it("names the choices in both languages", () => {
    expect(FREQUENCY_CHOICES.map((v) => frequencyLabel(v, "tr"))).toEqual([
      "Her seferinde",
      "En fazla 5 dakikada bir",
      "En fazla 15 dakikada bir",
      "En fazla saatte bir",
      "1 dakikalık özet",
      "10 dakikalık özet",
      "Saatlik özet",
    ]);
    expect(FREQUENCY_CHOICES.map((v) => frequencyLabel(v, "en"))).toEqual([
      "Every time",
      "At most once every 5 minutes",
      "At most once every 15 minutes",
      "At most once an hour",
      "1-minute digest",
      "10-minute digest",
      "Hourly digest",
    ]);
  });

  it("describes a value set from the CLI", () => {
    expect(frequencyLabel("every:120", "tr")).toBe("En fazla 2 dakikada bir");
    expect(frequencyLabel("every:60", "tr")).toBe("En fazla dakikada bir");
    expect(frequencyLabel("every:45", "tr")).toBe("En fazla 45 saniyede bir");
    expect(frequencyLabel("every:7200", "en")).toBe("At most once every 2 hours");
    expect(frequencyLabel("every:1", "en")).toBe("At most once a second");
    expect(frequencyLabel("digest:90", "tr")).toBe("90 saniyelik özet");
    expect(frequencyLabel("digest:1800", "en")).toBe("30-minute digest");
    expect(frequencyLabel("digest:10800", "tr")).toBe("3 saatlik özet");
    expect(frequencyLabel("odd", "en")).toBe("odd");
  });

  it("adds a stored value that is no choice to the options, in its place", () => {
    expect(frequencyOptions("digest:60")).toEqual([...FREQUENCY_CHOICES]);
    expect(frequencyOptions("every:120")).toEqual([
      "now",
      "every:120",
      "every:300",
      "every:900",
      "every:3600",
      "digest:60",
      "digest:600",
      "digest:3600",
    ]);
    expect(frequencyOptions("digest:7200").at(-1)).toBe("digest:7200");
    expect(frequencyOptions("nonsense")).toEqual([...FREQUENCY_CHOICES]);
  });
});

describe("webhookCount", () => {
  const endpoints = [
    { events: ["message.failed"] },
    { events: ["*"] },
    { events: ["message.sent", "message.failed"] },
  ];

  it("counts the endpoints that get the event, * counting for every message event", () => {
    expect(webhookCount(endpoints, "message.failed")).toBe(3);
    expect(webhookCount(endpoints, "message.sent")).toBe(2);
    expect(webhookCount([], "message.sent")).toBe(0);
  });

  it("never sends a failing webhook to webhooks", () => {
    expect(webhookCount(endpoints, "webhook.failing")).toBeNull();
    expect(webhookCount(endpoints, "message.stuck")).toBeNull();
  });
});

describe("the stuck threshold", () => {
  const range = { code: "validation.range", params: { min: 5, max: 1440 } };

  it("is 5 to 1440 minutes, 15 by default", () => {
    expect(STUCK_MINUTES).toEqual({ min: 5, max: 1440, default: 15 });
    expect(stuckMinutes(SETTINGS)).toBe(15);
    expect(stuckMinutes({ enabled: true, prefs: { events: [] } })).toBe(15);
    expect(stuckMinutes({ enabled: true, prefs: { events: [], stuckAfterMinutes: 90 } })).toBe(90);
  });

  it("refuses empty and out of range, saying the range", () => {
    for (const raw of ["0", "4", "1441", "", "  ", "-5", "7.5", "1e2", "abc"]) {
      expect(validateStuckMinutes(raw), raw).toEqual(range);
      expect(parseStuckMinutes(raw), raw).toBeNull();
    }
    // The browser could not read what was typed (it then reports "").
    expect(validateStuckMinutes("", true)).toEqual(range);
    expect(validateStuckMinutes("15", true)).toEqual(range);
  });

  it("accepts whole minutes in range", () => {
    for (const [raw, n] of [
      ["5", 5],
      ["15", 15],
      [" 60 ", 60],
      ["1440", 1440],
    ] as const) {
      expect(validateStuckMinutes(raw), raw).toBeNull();
      expect(parseStuckMinutes(raw), raw).toBe(n);
    }
  });

  it("saves only a valid threshold that is not the one in effect", () => {
    expect(stuckToSave("30", false, 15)).toBe(30);
    expect(stuckToSave("1440", false, 15)).toBe(1440);
    expect(stuckToSave("5", false, 15)).toBe(5);
    expect(stuckToSave("15", false, 15)).toBeNull();
    for (const raw of ["0", "4", "1441", ""]) expect(stuckToSave(raw, false, 15), raw).toBeNull();
    expect(stuckToSave("", true, 15)).toBeNull();
  });

  it("sets the threshold, keeping the rest", () => {
    const next = withStuckMinutes(SETTINGS, 30);
    expect(next).toEqual({ ...SETTINGS, prefs: { ...SETTINGS.prefs, stuckAfterMinutes: 30 } });
    expect(SETTINGS.prefs.stuckAfterMinutes).toBe(15);
    expect(withStuckMinutes(SETTINGS, 4)).toBeNull();
    expect(withStuckMinutes(SETTINGS, 1441)).toBeNull();
    expect(withStuckMinutes(SETTINGS, 12.5)).toBeNull();
  });
});

describe("e-mail notifications", () => {
  const EMAIL = { address: "isil@ozturkgida.com.tr", accountId: 3 };
  const WITH: NoticeSettings = { ...SETTINGS, email: EMAIL };
  const account = (id: number, email: string, senderName: string, active = true) => ({
    id,
    email,
    senderName,
    active,
  });

  it("are on once an address is saved", () => {
    expect(noticeEmail(SETTINGS)).toBeNull();
    expect(emailReady(SETTINGS)).toBe(false);
    expect(emailReady({ ...SETTINGS, email: null })).toBe(false);
    expect(emailReady({ ...SETTINGS, email: { address: "  ", accountId: null } })).toBe(false);
    expect(noticeEmail(WITH)).toEqual(EMAIL);
    expect(emailReady(WITH)).toBe(true);
    // The sandbox counts: nothing leaves the computer, but the column can be chosen.
    expect(emailReady({ ...SETTINGS, email: { address: "a@b.com", accountId: null } })).toBe(true);
  });

  it("sets or clears where they go, keeping the matrix", () => {
    const next = withEmail(SETTINGS, { address: "  satis@örnek.com.tr ", accountId: null });
    expect(next).toEqual({ ...SETTINGS, email: { address: "satis@örnek.com.tr", accountId: null } });
    expect(next.prefs).toBe(SETTINGS.prefs);
    expect(withEmail(WITH, null)).toEqual({ ...SETTINGS, email: null });
    expect(withEmail(WITH, { address: " ", accountId: 3 })).toEqual({ ...SETTINGS, email: null });
    expect(SETTINGS.email).toBeUndefined();
  });

  it("keeps the e-mail column's choices when they are turned off", () => {
    const chosen = withChannel(WITH, "message.sent", "email", true);
    expect(prefsFor(chosen, "message.sent").channels).toEqual(["email"]);
    expect(prefsFor(withEmail(chosen, null), "message.sent").channels).toEqual(["email"]);
    expect(prefsFor(withChannel(chosen, "message.sent", "email", false), "message.sent").channels).toEqual([]);
  });

  it("checks the address as the backend does: required, plausible, 254 at most", () => {
    expect(validateNoticeEmail("isil@ozturkgida.com.tr")).toBeNull();
    expect(validateNoticeEmail(" satış@örnek.com.tr ")).toBeNull();
    expect(validateNoticeEmail("")).toEqual({ code: "validation.required" });
    expect(validateNoticeEmail("   ")).toEqual({ code: "validation.required" });
    for (const raw of ["isil", "isil@", "@firma.com", "isil@firma", "a b@firma.com"]) {
      expect(validateNoticeEmail(raw), raw).toEqual({ code: "validation.email" });
    }
    const long = `${"a".repeat(60)}@${["b", "c", "d", "e"].map((l) => l.repeat(60)).join(".")}.com`;
    expect(validateNoticeEmail(long)).toEqual({ code: "validation.too_long", params: { max: 254 } });
    expect(validateNoticeEmail("a@b.com\n")).toEqual({ code: "validation.control_chars" });
  });

  it("says what the form would save: the trimmed address and the account, null for the sandbox", () => {
    expect(emailToSave(" isil@ozturkgida.com.tr ", "3")).toEqual(EMAIL);
    expect(emailToSave("isil@ozturkgida.com.tr", SANDBOX)).toEqual({
      address: "isil@ozturkgida.com.tr",
      accountId: null,
    });
    expect(emailToSave("isil@", "3")).toBeNull();
    expect(emailToSave("", SANDBOX)).toBeNull();
    expect(emailAccountChoice(3)).toBe("3");
    expect(emailAccountChoice(null)).toBe(SANDBOX);
  });

  it("tells whether the form differs from what is stored", () => {
    expect(emailChanged(null, "", SANDBOX)).toBe(false);
    expect(emailChanged(null, "  ", "3")).toBe(false);
    expect(emailChanged(null, "isil@ozturkgida.com.tr", SANDBOX)).toBe(true);
    expect(emailChanged(EMAIL, "isil@ozturkgida.com.tr", "3")).toBe(false);
    expect(emailChanged(EMAIL, " isil@ozturkgida.com.tr ", "3")).toBe(false);
    expect(emailChanged(EMAIL, "isil@ozturkgida.com.tr", SANDBOX)).toBe(true);
    expect(emailChanged(EMAIL, "isil@ozturkgida.com.tr", "4")).toBe(true);
    expect(emailChanged(EMAIL, "satis@ozturkgida.com.tr", "3")).toBe(true);
    expect(emailChanged({ address: "a@b.com", accountId: null }, "a@b.com", SANDBOX)).toBe(false);
  });

  it("offers the active accounts, then the sandbox", () => {
    const accounts = [
      account(1, "isil@ozturkgida.com.tr", "Işıl Öztürk"),
      account(2, "eski@ozturkgida.com.tr", "Eski", false),
      account(3, "satis@ozturkgida.com.tr", " "),
    ];
    expect(emailAccountOptions(accounts, "1", "tr")).toEqual([
      { value: "1", label: "isil@ozturkgida.com.tr — Işıl Öztürk" },
      { value: "3", label: "satis@ozturkgida.com.tr" },
      { value: SANDBOX, label: "Test kutusu (gönderilmez)" },
    ]);
    expect(emailAccountOptions([], SANDBOX, "en")).toEqual([{ value: SANDBOX, label: "Test box (not sent)" }]);
  });

  it("keeps the chosen account when it is no longer offered, marked", () => {
    const accounts = [account(1, "isil@ozturkgida.com.tr", "Işıl"), account(2, "eski@ozturkgida.com.tr", "", false)];
    expect(emailAccountOptions(accounts, "2", "tr")[1]).toEqual({
      value: "2",
      label: "eski@ozturkgida.com.tr (kapalı)",
    });
    expect(emailAccountOptions(accounts, "9", "tr")[1]).toEqual({ value: "9", label: "Hesap #9 (bulunamadı)" });
    expect(emailAccountOptions(accounts, "9", "en")[1]).toEqual({ value: "9", label: "Account #9 (not found)" });
    // While the list is not known, by its number only.
    expect(emailAccountOptions([], "9", "tr", false)).toEqual([
      { value: "9", label: "Hesap #9" },
      { value: SANDBOX, label: "Test kutusu (gönderilmez)" },
    ]);
    expect(emailAccountOptions(accounts, "1", "tr")).toHaveLength(2);
  });

  it("puts the backend's word on the address under its input", () => {
    expect(isEmailFieldError({ code: "validation.email", field: "notifyEmail" })).toBe(true);
    expect(isEmailFieldError({ code: "validation.too_long", field: "notifyEmail" })).toBe(true);
    expect(isEmailFieldError({ code: "validation.email", field: null })).toBe(true);
    expect(isEmailFieldError({ code: "validation.email", field: "replyTo" })).toBe(false);
    expect(isEmailFieldError({ code: "internal", field: null })).toBe(false);
    // The address's limit fills the backend's too_long hint.
    expect(describeError("tr", { code: "validation.too_long", field: "notifyEmail" }).hint).toContain("254");
  });
});
