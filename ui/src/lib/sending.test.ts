import { describe, expect, it } from "vitest";
import type { Limits, Sending } from "./bindings";
import {
  BOUNCE_DAYS,
  BOUNCE_LIMIT_PERCENT,
  LIMIT_FIELDS,
  LIMIT_IDS,
  accountSendingView,
  ceilingText,
  describeReason,
  describeSending,
  describeStatus,
  formToLimits,
  formatMoment,
  formatShare,
  isLimitField,
  limitServerError,
  limitsForm,
  newLimitsForm,
  nextFreeText,
  parseBounces,
  parseCount,
  parseSeconds,
  possessive,
  providerLimitText,
  queuedText,
  reasonText,
  secondsText,
  statusLabel,
  todayText,
  validateLimit,
  validateLimits,
  waitReason,
  type LimitsForm,
} from "./sending";

const TZ = "Europe/Istanbul";
/** 8 December 2025, 13:00 in Istanbul (UTC+3). */
const NOW = new Date("2025-12-08T10:00:00Z");

const LIMITS: Limits = { daily: 30, minWaitMs: 1000, jitterMs: 0, rampUp: null };

function sending(over: Partial<Sending> = {}): Sending {
  return {
    status: "active",
    statusReason: null,
    sentToday: 12,
    dailyToday: 30,
    providerUsed: 412,
    ceilings: { day: 500, unit: "messages", minute: 30 },
    limits: LIMITS,
    minuteUsed: 3,
    nextFreeAt: null,
    waiting: null,
    queued: 0,
    lastError: null,
    lastErrorAt: null,
    ...over,
  };
}

const ctx = { provider: "Gmail", now: NOW, timeZone: TZ };

describe("moments", () => {
  it("today's as the time, another day's with the date, another year's with the year", () => {
    expect(formatMoment("tr", "2025-12-08T11:05:00Z", NOW, TZ)).toBe("14:05");
    expect(formatMoment("en", "2025-12-08T11:05:00Z", NOW, TZ)).toBe("14:05");
    // Midnight in Istanbul is 21:00 UTC the day before: tomorrow there.
    expect(formatMoment("tr", "2025-12-08T21:00:00Z", NOW, TZ)).toBe("9 Ara 00:00");
    expect(formatMoment("en", "2025-12-08T21:00:00Z", NOW, TZ)).toBe("9 Dec 00:00");
    expect(formatMoment("tr", "2025-12-07T21:00:00Z", NOW, TZ)).toBe("00:00");
    expect(formatMoment("tr", "2026-01-02T09:30:00Z", NOW, TZ)).toBe("2 Oca 2026 12:30");
    expect(formatMoment("tr", "yarın", NOW, TZ)).toBe("yarın");
  });
});

describe("possessive", () => {
  it("follows how the name ends in Turkish, and adds 's in English", () => {
    expect(possessive("tr", "Gmail")).toBe("Gmail'in");
    expect(possessive("tr", "Yahoo")).toBe("Yahoo'nun");
    expect(possessive("tr", "Microsoft 365")).toBe("Microsoft 365'in");
    expect(possessive("tr", "Outlook.com")).toBe("Outlook.com'un");
    expect(possessive("tr", "Yandex")).toBe("Yandex'in");
    expect(possessive("tr", "iCloud")).toBe("iCloud'un");
    expect(possessive("tr", "Zoho")).toBe("Zoho'nun");
    expect(possessive("tr", "GMX")).toBe("GMX'in");
    expect(possessive("tr", "Mail 10")).toBe("Mail 10'un");
    expect(possessive("tr", "Sunucu 40")).toBe("Sunucu 40'ın");
    expect(possessive("tr", "1&1 IONOS")).toBe("1&1 IONOS'un");
    expect(possessive("en", "Gmail")).toBe("Gmail's");
    expect(possessive("en", "Hostinger Mails")).toBe("Hostinger Mails'");
  });
});

describe("an account's sending in words", () => {
  it("names every status in both languages", () => {
    expect(statusLabel("tr", "active")).toBe("Etkin");
    expect(statusLabel("tr", "pending")).toBe("Test edilmedi");
    expect(statusLabel("tr", "inactive")).toBe("Kapalı");
    expect(statusLabel("tr", "error")).toBe("Hata");
    expect(statusLabel("en", "pending")).toBe("Not tested");
    expect(statusLabel("en", "inactive")).toBe("Off");
  });

  it("counts today against the limit, or says there is none", () => {
    expect(todayText("tr", sending())).toBe("Bugün 12 / 30");
    expect(todayText("en", sending())).toBe("Today 12 / 30");
    expect(todayText("tr", sending({ dailyToday: null, limits: { ...LIMITS, daily: null } }))).toBe(
      "Bugün 12 (sınırsız)",
    );
    expect(todayText("en", sending({ dailyToday: null }))).toBe("Today 12 (no limit)");
    expect(todayText("tr", sending({ sentToday: 1200, dailyToday: 5000 }))).toBe("Bugün 1.200 / 5.000");
    expect(todayText("en", sending({ sentToday: 1200, dailyToday: 5000 }))).toBe("Today 1,200 / 5,000");
  });

  it("says when ramp-up holds today's limit below the daily one", () => {
    const ramping = sending({ dailyToday: 20, limits: { ...LIMITS, daily: 100, rampUp: 10 } });
    expect(todayText("tr", ramping)).toBe("Bugün 12 / 20 (kademeli artış)");
    expect(todayText("en", ramping)).toBe("Today 12 / 20 (ramping up)");
    const reached = sending({ dailyToday: 100, limits: { ...LIMITS, daily: 100, rampUp: 10 } });
    expect(todayText("tr", reached)).toBe("Bugün 12 / 100");
  });

  it("shows the provider's ceiling in its unit, with the minute's when there is one", () => {
    expect(providerLimitText("tr", "Gmail", sending())).toBe(
      "Gmail sınırı: 412 / 500 ileti (son 24 saat), dakikada 3 / 30",
    );
    expect(providerLimitText("en", "Gmail", sending())).toBe(
      "Gmail limit: 412 / 500 messages (last 24 hours), 3 / 30 per minute",
    );
    const recipients = sending({ ceilings: { day: 5000, unit: "recipients", minute: null }, providerUsed: 70 });
    expect(providerLimitText("tr", "Outlook.com", recipients)).toBe(
      "Outlook.com sınırı: 70 / 5.000 alıcı (son 24 saat)",
    );
    expect(providerLimitText("en", "Outlook.com", recipients)).toBe(
      "Outlook.com limit: 70 / 5,000 recipients (last 24 hours)",
    );
    const minuteOnly = sending({ ceilings: { day: null, unit: "messages", minute: 30 } });
    expect(providerLimitText("tr", null, minuteOnly)).toBe("Sağlayıcı sınırı: dakikada 3 / 30");
    const none = sending({ ceilings: { day: null, unit: "messages", minute: null } });
    expect(providerLimitText("tr", "Gmail", none)).toBeNull();
  });

  it("words every reason to wait", () => {
    expect(waitReason("tr", { why: "inactive" })).toBe("hesap kapalı");
    expect(waitReason("tr", { why: "error", reason: "535 kimlik doğrulanamadı" })).toBe(
      "hesap hata durumunda: 535 kimlik doğrulanamadı",
    );
    expect(waitReason("tr", { why: "dailyLimit", limit: 30 })).toBe("günlük sınır doldu (30)");
    expect(waitReason("tr", { why: "providerDay", limit: 500, unit: "messages" })).toBe(
      "sağlayıcının 24 saatlik sınırı doldu",
    );
    expect(waitReason("tr", { why: "providerMinute", limit: 30 })).toBe("sağlayıcının dakikalık sınırı doldu");
    expect(waitReason("tr", { why: "pacing" })).toBe("gönderimler arası bekleme");
    expect(waitReason("en", { why: "dailyLimit", limit: 1000 })).toBe("daily limit reached (1,000)");
    expect(waitReason("en", { why: "inactive" })).toBe("the account is off");
  });

  it("says when it sends next, and why it waits", () => {
    expect(nextFreeText("tr", sending(), NOW, TZ)).toEqual({ text: "Şimdi gönderebilir", now: true });
    expect(nextFreeText("en", sending(), NOW, TZ).text).toBe("Can send now");
    const full = sending({
      nextFreeAt: "2025-12-08T21:00:00Z",
      waiting: { why: "dailyLimit", limit: 30 },
    });
    expect(nextFreeText("tr", full, NOW, TZ)).toEqual({
      text: "Sonraki gönderim: 9 Ara 00:00 — günlük sınır doldu (30)",
      now: false,
    });
    expect(nextFreeText("en", full, NOW, TZ).text).toBe(
      "Next send: 9 Dec 00:00 — daily limit reached (30)",
    );
    const pacing = sending({ nextFreeAt: "2025-12-08T11:05:00Z", waiting: { why: "pacing" } });
    expect(nextFreeText("tr", pacing, NOW, TZ).text).toBe(
      "Sonraki gönderim: 14:05 — gönderimler arası bekleme",
    );
    const bare = sending({ nextFreeAt: "2025-12-08T11:05:00Z" });
    expect(nextFreeText("tr", bare, NOW, TZ).text).toBe("Sonraki gönderim: 14:05");
  });

  it("a moment already past is now; an account off or in error waits for the user", () => {
    const past = sending({ nextFreeAt: "2025-12-08T09:59:00Z", waiting: { why: "pacing" } });
    expect(nextFreeText("tr", past, NOW, TZ)).toEqual({ text: "Şimdi gönderebilir", now: true });
    const off = sending({ status: "inactive", waiting: { why: "inactive" } });
    expect(nextFreeText("tr", off, NOW, TZ)).toEqual({
      text: "Gönderim bekliyor: hesap kapalı",
      now: false,
    });
    // The status alone says so when the backend gave no wait.
    const broken = sending({ status: "error", statusReason: "şifre reddedildi" });
    expect(nextFreeText("en", broken, NOW, TZ)).toEqual({
      text: "Sending waits: the account is in error: şifre reddedildi",
      now: false,
    });
  });

  it("counts the queue, in the right number", () => {
    expect(queuedText("tr", 0)).toBeNull();
    expect(queuedText("tr", 3)).toBe("3 ileti sırada");
    expect(queuedText("en", 3)).toBe("3 messages queued");
    expect(queuedText("en", 1)).toBe("1 message queued");
  });

  it("puts a row together; in error, why it stopped and how to fix it", () => {
    const ok = describeSending("tr", sending({ queued: 3 }), ctx);
    expect(ok).toEqual({
      status: "active",
      statusLabel: "Etkin",
      today: "Bugün 12 / 30",
      providerLimit: "Gmail sınırı: 412 / 500 ileti (son 24 saat), dakikada 3 / 30",
      next: "Şimdi gönderebilir",
      ready: true,
      queued: "3 ileti sırada",
      lastError: null,
      fix: null,
    });
    const broken = describeSending(
      "tr",
      sending({
        status: "error",
        statusReason: "535 5.7.8 Username and Password not accepted",
        waiting: { why: "error", reason: "535 5.7.8 Username and Password not accepted" },
        lastError: "535 5.7.8 Username and Password not accepted",
        lastErrorAt: "2025-12-08T09:40:00Z",
      }),
      ctx,
    );
    expect(broken.statusLabel).toBe("Hata");
    expect(broken.ready).toBe(false);
    expect(broken.lastError).toBe("Gönderim durdu: 535 5.7.8 Username and Password not accepted");
    expect(broken.fix).toBe(
      "Şifreyi düzeltip „Bağlantıyı Test Et”e basın; bekleyen iletiler o zaman gider.",
    );
    const oauth = describeSending("en", sending({ status: "error" }), { ...ctx, oauth: true });
    expect(oauth.lastError).toBe("Sending stopped.");
    expect(oauth.fix).toContain("reconnect");
  });

  it("shows the last error with its time while the account still sends", () => {
    const view = describeSending(
      "tr",
      sending({ lastError: "451 geçici hata", lastErrorAt: "2025-12-08T09:40:00Z" }),
      ctx,
    );
    expect(view.lastError).toBe("Son hata (12:40): 451 geçici hata");
    expect(view.fix).toBeNull();
    const untimed = describeSending("en", sending({ lastError: "451 try later" }), ctx);
    expect(untimed.lastError).toBe("Last error: 451 try later");
  });

  it("with only the account's status, says that and no more", () => {
    const view = describeStatus("tr", "error", "şifre reddedildi", ctx);
    expect(view.statusLabel).toBe("Hata");
    expect(view.today).toBeNull();
    expect(view.next).toBeNull();
    expect(view.lastError).toBe("Gönderim durdu: şifre reddedildi");
    expect(view.fix).toContain("Bağlantıyı Test Et");
    const pending = describeStatus("en", "pending", null, ctx);
    expect(pending).toMatchObject({ statusLabel: "Not tested", ready: true, lastError: null, fix: null });
  });

  it("the form's line names the provider's own ceiling", () => {
    const gmail = { day: 500, unit: "messages" as const, minute: null };
    expect(ceilingText("tr", "Gmail", gmail)).toBe("Gmail'in kendi sınırı: günde 500 ileti (son 24 saat)");
    expect(ceilingText("en", "Gmail", gmail)).toBe("Gmail's own limit: 500 messages a day (last 24 hours)");
    expect(ceilingText("tr", "Outlook.com", { day: 5000, unit: "recipients", minute: 30 })).toBe(
      "Outlook.com'un kendi sınırı: günde 5.000 alıcı (son 24 saat), dakikada 30 ileti",
    );
    expect(ceilingText("tr", null, { day: null, unit: "messages", minute: 60 })).toBe(
      "Sağlayıcının kendi sınırı: dakikada 60 ileti",
    );
    expect(ceilingText("tr", "Gmail", { day: null, unit: "messages", minute: null })).toBeNull();
  });
});

describe("an account stopped for its bounces", () => {
  const BOUNCES = "ulak:bounces 20 200";
  const TR_WHAT =
    "Son 28 günde 200 iletiden 20 tanesi geçersiz adres nedeniyle geri döndü (%10,0; sınır %2).";
  const TR_FIX = "Adres listesini temizleyin, sonra „Bağlantıyı Test Et”e basın; bekleyen iletiler o zaman gider.";
  const EN_WHAT =
    "In the last 28 days 20 of 200 messages came back because the address was invalid (10.0%; the limit is 2%).";
  const EN_FIX = "Clean up the address list, then press “Test Connection”; the waiting messages go then.";

  it("reads the backend's reason: bounced of total, over 28 days, against 2 %", () => {
    expect(BOUNCE_DAYS).toBe(28);
    expect(BOUNCE_LIMIT_PERCENT).toBe(2);
    expect(parseBounces(BOUNCES)).toEqual({ bounced: 20, total: 200 });
    expect(parseBounces(" ulak:bounces  3 21 ")).toEqual({ bounced: 3, total: 21 });
    expect(parseBounces("ulak:bounces 0 20")).toEqual({ bounced: 0, total: 20 });
  });

  it("takes nothing else for it", () => {
    expect(parseBounces(null)).toBeNull();
    expect(parseBounces(undefined)).toBeNull();
    expect(parseBounces("")).toBeNull();
    expect(parseBounces("ulak:bounces x")).toBeNull();
    expect(parseBounces("ulak:bounces 20")).toBeNull();
    expect(parseBounces("ulak:bounces 20 x")).toBeNull();
    expect(parseBounces("ulak:bounces 2.5 20")).toBeNull();
    expect(parseBounces("ulak:bounces -1 20")).toBeNull();
    expect(parseBounces("ulak:bounces 20 200 extra")).toBeNull();
    expect(parseBounces("ulak:bounces 5 0")).toBeNull();
    expect(parseBounces("ulak:bounces 30 20")).toBeNull();
    expect(parseBounces("535 ulak:bounces 20 200")).toBeNull();
  });

  it("writes the share with one decimal and the language's decimal mark", () => {
    expect(formatShare("tr", 10)).toBe("10,0");
    expect(formatShare("en", 10)).toBe("10.0");
    expect(formatShare("tr", (3 / 7) * 100)).toBe("42,9");
    expect(formatShare("en", (3 / 7) * 100)).toBe("42.9");
  });

  it("words it, with how to fix it, in both languages", () => {
    expect(describeReason("tr", BOUNCES)).toEqual({ text: TR_WHAT, fix: TR_FIX });
    expect(describeReason("en", BOUNCES)).toEqual({ text: EN_WHAT, fix: EN_FIX });
    expect(reasonText("tr", "ulak:bounces 3 7")).toBe(
      "Son 28 günde 7 iletiden 3 tanesi geçersiz adres nedeniyle geri döndü (%42,9; sınır %2).",
    );
    expect(reasonText("en", "ulak:bounces 1200 5000")).toBe(
      "In the last 28 days 1,200 of 5,000 messages came back because the address was invalid (24.0%; the limit is 2%).",
    );
    expect(reasonText("tr", "ulak:bounces 1200 5000")).toContain("5.000 iletiden 1.200 tanesi");
  });

  it("says it wherever the reason is shown: the wait, the row, the status alone", () => {
    expect(waitReason("tr", { why: "error", reason: BOUNCES })).toBe(`hesap hata durumunda: ${TR_WHAT}`);
    expect(waitReason("en", { why: "error", reason: BOUNCES })).toBe(`the account is in error: ${EN_WHAT}`);
    const stopped = sending({ status: "error", statusReason: BOUNCES, queued: 4 });
    expect(nextFreeText("tr", stopped, NOW, TZ).text).toBe(`Gönderim bekliyor: hesap hata durumunda: ${TR_WHAT}`);
    const tr = describeSending("tr", stopped, ctx);
    expect(tr.lastError).toBe(`Gönderim durdu: ${TR_WHAT}`);
    expect(tr.fix).toBe(TR_FIX);
    expect(`${tr.lastError} ${tr.fix}`).toBe(
      "Gönderim durdu: Son 28 günde 200 iletiden 20 tanesi geçersiz adres nedeniyle geri döndü (%10,0; sınır %2). Adres listesini temizleyin, sonra „Bağlantıyı Test Et”e basın; bekleyen iletiler o zaman gider.",
    );
    // The bounces' fix, not the password's nor the OAuth one's.
    const en = describeSending("en", stopped, { ...ctx, oauth: true });
    expect(en.lastError).toBe(`Sending stopped: ${EN_WHAT}`);
    expect(en.fix).toBe(EN_FIX);
    const alone = describeStatus("tr", "error", BOUNCES, ctx);
    expect(alone.lastError).toBe(`Gönderim durdu: ${TR_WHAT}`);
    expect(alone.fix).toBe(TR_FIX);
    // A last error that is the reason, once the account sends again.
    const after = describeSending("en", sending({ lastError: BOUNCES }), ctx);
    expect(after.lastError).toBe(`Last error: ${EN_WHAT}`);
  });

  it("a malformed reason is shown as it came", () => {
    const bad = "ulak:bounces x";
    expect(describeReason("tr", bad)).toEqual({ text: bad, fix: null });
    expect(reasonText("en", bad)).toBe(bad);
    expect(waitReason("tr", { why: "error", reason: bad })).toBe("hesap hata durumunda: ulak:bounces x");
    const view = describeSending("tr", sending({ status: "error", statusReason: bad }), ctx);
    expect(view.lastError).toBe("Gönderim durdu: ulak:bounces x");
    expect(view.fix).toBe("Şifreyi düzeltip „Bağlantıyı Test Et”e basın; bekleyen iletiler o zaman gider.");
    expect(describeStatus("en", "error", bad, ctx).lastError).toBe("Sending stopped: ulak:bounces x");
  });
});

describe("an account's row", () => {
  const account = {
    provider: "Gmail",
    oauth: null,
    status: "error" as const,
    statusReason: "ulak:bounces 20 200",
  };

  it("shows its sending once read, else only its own status", () => {
    const read = accountSendingView("tr", account, sending({ queued: 2 }), NOW);
    expect(read.status).toBe("active");
    expect(read.today).toBe("Bugün 12 / 30");
    expect(read.providerLimit).toContain("Gmail sınırı");
    expect(read.queued).toBe("2 ileti sırada");
    const unread = accountSendingView("en", account, null, NOW);
    expect(unread).toMatchObject({ status: "error", statusLabel: "Error", today: null, next: null });
    expect(unread.lastError).toContain("(10.0%; the limit is 2%)");
  });
});

describe("the limits form", () => {
  const form = (over: Partial<LimitsForm> = {}): LimitsForm => ({ ...newLimitsForm(), ...over });

  it("a new account starts at 30 a day, one second apart, on", () => {
    expect(newLimitsForm()).toEqual({ dailyLimit: "30", rampUp: "", minWait: "1", jitter: "0", active: true });
    expect(formToLimits(newLimitsForm())).toEqual({ daily: 30, minWaitMs: 1000, jitterMs: 0, rampUp: null });
  });

  it("shows stored limits as typed text, seconds with the language's decimal mark", () => {
    const limits: Limits = { daily: null, minWaitMs: 500, jitterMs: 2250, rampUp: 10 };
    expect(limitsForm("tr", limits, false)).toEqual({
      dailyLimit: "",
      rampUp: "10",
      minWait: "0,5",
      jitter: "2,25",
      active: false,
    });
    expect(limitsForm("en", limits, true)).toMatchObject({ minWait: "0.5", jitter: "2.25", active: true });
    expect(secondsText("tr", 60_000)).toBe("60");
    expect(secondsText("en", 1)).toBe("0.001");
  });

  it("reads seconds with a comma or a point, in milliseconds", () => {
    expect(parseSeconds("1")).toBe(1000);
    expect(parseSeconds("0,5")).toBe(500);
    expect(parseSeconds(" 0.5 ")).toBe(500);
    expect(parseSeconds(",25")).toBe(250);
    expect(parseSeconds("2,")).toBe(2000);
    expect(parseSeconds("")).toBe(0);
    expect(parseSeconds("86400")).toBe(86_400_000);
    expect(parseSeconds("86400,001")).toBeUndefined();
    expect(parseSeconds("-1")).toBeUndefined();
    expect(parseSeconds("1,5,0")).toBeUndefined();
    expect(parseSeconds("bir")).toBeUndefined();
    expect(parseSeconds("1e3")).toBeUndefined();
  });

  it("reads counts as whole numbers from 1 to 100 000, empty as none", () => {
    expect(parseCount("")).toBeNull();
    expect(parseCount(" 30 ")).toBe(30);
    expect(parseCount("100000")).toBe(100_000);
    expect(parseCount("100001")).toBeUndefined();
    expect(parseCount("0")).toBeUndefined();
    expect(parseCount("12.5")).toBeUndefined();
    expect(parseCount("-3")).toBeUndefined();
  });

  it("round-trips what it shows", () => {
    const limits: Limits = { daily: 250, minWaitMs: 1500, jitterMs: 300, rampUp: 25 };
    expect(formToLimits(limitsForm("tr", limits, true))).toEqual(limits);
    expect(formToLimits(limitsForm("en", limits, true))).toEqual(limits);
  });

  it("gives nothing to send while a value is wrong", () => {
    expect(formToLimits(form({ dailyLimit: "0" }))).toBeNull();
    expect(formToLimits(form({ jitter: "-1" }))).toBeNull();
    expect(formToLimits(form({ dailyLimit: "", rampUp: "" }))).toEqual({
      daily: null,
      minWaitMs: 1000,
      jitterMs: 0,
      rampUp: null,
    });
  });

  it("says what is wrong and how to fix it, in both languages", () => {
    expect(validateLimit("tr", "dailyLimit", "30")).toBeNull();
    expect(validateLimit("tr", "dailyLimit", "")).toBeNull();
    expect(validateLimit("tr", "dailyLimit", "0")).toEqual({
      message: "Günlük sınır geçersiz.",
      hint: "1 ile 100.000 arasında bir sayı girin; göndermesin istiyorsanız hesabı kapatın.",
    });
    expect(validateLimit("en", "dailyLimit", "200000")?.hint).toBe(
      "Enter a number from 1 to 100,000; to stop it sending, switch the account off.",
    );
    // The number input could not read what was typed: "" with badInput is not "no limit".
    expect(validateLimit("tr", "dailyLimit", "", true)?.message).toBe("Günlük sınır geçersiz.");
    expect(validateLimit("tr", "rampUp", "abc")?.hint).toBe(
      "1 ile 100.000 arasında bir sayı girin ya da kapatmak için boş bırakın.",
    );
    expect(validateLimit("tr", "minWait", "0,5")).toBeNull();
    expect(validateLimit("tr", "minWait", "90000")).toEqual({
      message: "Bekleme süresi geçersiz.",
      hint: "0 ile 86.400 saniye arasında bir sayı girin.",
    });
    expect(validateLimit("en", "jitter", "x")).toEqual({
      message: "The random extra wait is not valid.",
      hint: "Enter a number of seconds from 0 to 86,400.",
    });
  });

  it("checks every field at once, naming only the wrong ones", () => {
    expect(validateLimits("tr", form())).toEqual({});
    const issues = validateLimits("tr", form({ dailyLimit: "0", jitter: "1,5" }), { rampUp: true });
    expect(Object.keys(issues).sort()).toEqual(["dailyLimit", "rampUp"]);
  });

  it("knows the backend's field names and maps them to the inputs", () => {
    expect(LIMIT_FIELDS.map((f) => LIMIT_IDS[f])).toEqual([
      "limit-daily",
      "limit-ramp-up",
      "limit-min-wait",
      "limit-jitter",
    ]);
    expect(isLimitField("minWait")).toBe(true);
    expect(isLimitField("host")).toBe(false);
    expect(isLimitField(null)).toBe(false);
  });

  it("words the backend's range error as the field's own, other errors as the backend's", () => {
    const range = { code: "validation.range" as const, message: "out of range", hint: null, field: "minWait" };
    expect(limitServerError("tr", "minWait", range)).toEqual({
      message: "Bekleme süresi geçersiz.",
      hint: "0 ile 86.400 saniye arasında bir sayı girin.",
    });
    const other = { code: "internal" as const, message: "boom", hint: null, field: "minWait" };
    expect(limitServerError("tr", "minWait", other).message).not.toBe("Bekleme süresi geçersiz.");
  });
});
