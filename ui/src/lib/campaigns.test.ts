import { describe, expect, it } from "vitest";
import {
  CAMPAIGN_STATES,
  DEFAULT_ZONE,
  FORECAST_SHOWN,
  ZONES,
  accountLabel,
  actionLabel,
  campaignActions,
  countsText,
  createErrorField,
  createdText,
  daysText,
  failureWhat,
  forecastDayLabel,
  isActive,
  locativeSuffix,
  newWindowForm,
  normalizeTime,
  parseTime,
  progressPercent,
  shareText,
  stateLabel,
  toWindow,
  toggleDay,
  unplacedText,
  validateWindow,
  waitingText,
  windowText,
  zoneOptions,
} from "./campaigns";

const TZ = "Europe/Istanbul";
/** Monday 8 December 2025, 13:00 in Istanbul (UTC+3). */
const NOW = new Date("2025-12-08T10:00:00Z");

describe("states and actions", () => {
  it("words every state in both languages", () => {
    expect(CAMPAIGN_STATES.map((s) => stateLabel("tr", s))).toEqual([
      "Taslak",
      "Gönderiliyor",
      "Duraklatıldı",
      "İptal edildi",
      "Tamamlandı",
    ]);
    expect(CAMPAIGN_STATES.map((s) => stateLabel("en", s))).toEqual([
      "Draft",
      "Sending",
      "Paused",
      "Cancelled",
      "Done",
    ]);
  });

  it("allows what each state can go on to", () => {
    expect(campaignActions("draft")).toEqual(["run", "cancel"]);
    expect(campaignActions("running")).toEqual(["pause", "cancel"]);
    expect(campaignActions("paused")).toEqual(["resume", "cancel"]);
    expect(campaignActions("cancelled")).toEqual([]);
    expect(campaignActions("done")).toEqual([]);
    expect(actionLabel("tr", "run")).toBe("Başlat");
    expect(actionLabel("tr", "cancel")).toBe("İptal et");
    expect(actionLabel("en", "resume")).toBe("Resume");
    expect(isActive("paused")).toBe(true);
    expect(isActive("done")).toBe(false);
  });
});

describe("progress", () => {
  it("counts the sent and the failed over the total, 0 without messages", () => {
    expect(progressPercent({ total: 100, sent: 42, failed: 1 })).toBe(43);
    expect(progressPercent({ total: 0, sent: 0, failed: 0 })).toBe(0);
    expect(progressPercent({ total: 3, sent: 3, failed: 0 })).toBe(100);
    // Rounded down: 100 only once all of them are over.
    expect(progressPercent({ total: 1000, sent: 999, failed: 0 })).toBe(99);
    expect(progressPercent({ total: 2, sent: 5, failed: 0 })).toBe(100);
  });

  it("says the counts", () => {
    const p = { total: 100, sent: 42, failed: 1, waiting: 57, sending: 0 };
    expect(countsText("tr", p)).toBe("42 / 100 gönderildi · 1 başarısız · 57 bekliyor");
    expect(countsText("en", p)).toBe("42 / 100 sent · 1 failed · 57 waiting");
    expect(countsText("tr", { ...p, waiting: 55, sending: 2 })).toBe(
      "42 / 100 gönderildi · 1 başarısız · 55 bekliyor · 2 gönderiliyor",
    );
    expect(countsText("tr", { total: 12000, sent: 1500, failed: 0, waiting: 10500, sending: 0 })).toBe(
      "1.500 / 12.000 gönderildi · 0 başarısız · 10.500 bekliyor",
    );
  });

  it("says each account's share", () => {
    const share = { accountId: 1, label: "ayse@firma.com", sent: 20, failed: 0, sending: 0 };
    expect(shareText("tr", share)).toBe("ayse@firma.com 20 gönderildi");
    expect(shareText("en", { ...share, failed: 2, sending: 1 })).toBe(
      "ayse@firma.com 20 sent · 2 failed · 1 being sent",
    );
  });

  it("words a failure by its code, else by the provider's words", () => {
    expect(failureWhat("tr", { code: "mailboxFull", text: "552" })).toBe("Alıcının posta kutusu dolu");
    expect(failureWhat("en", { code: "cancelled", text: null })).toBe("The message was cancelled");
    expect(failureWhat("tr", { code: null, text: " 550 nope " })).toBe("550 nope");
    expect(failureWhat("tr", { code: null, text: null })).toBe("Gönderilemedi");
  });
});

describe("waiting", () => {
  it("gives Turkish times the ending they are read with", () => {
    expect(locativeSuffix("09:00")).toBe("'da");
    expect(locativeSuffix("18:00")).toBe("'de");
    expect(locativeSuffix("13:00")).toBe("'te");
    expect(locativeSuffix("14:40")).toBe("'ta");
    expect(locativeSuffix("14:30")).toBe("'da");
    expect(locativeSuffix("10:05")).toBe("'te");
    expect(locativeSuffix("16:00")).toBe("'da");
    expect(locativeSuffix("12:00")).toBe("'de");
    expect(locativeSuffix("00:00")).toBe("'da");
    expect(locativeSuffix("8 Ara 20:00")).toBe("'de");
  });

  it("says why a campaign waits, in local time", () => {
    const opens = { why: "outsideWindow" as const, opens: "2025-12-09T06:00:00Z" };
    expect(waitingText("tr", opens, NOW, TZ)).toBe("Gönderim aralığı dışında; 9 Ara 09:00'da açılır");
    expect(waitingText("en", opens, NOW, TZ)).toBe("Outside the sending window; opens at 9 Dec 09:00");
    const until = { why: "noAccount" as const, until: "2025-12-08T15:00:00Z" };
    expect(waitingText("tr", until, NOW, TZ)).toBe(
      "Şu an uygun hesap yok; 18:00'de devam eder (sınırlar)",
    );
    const next = { why: "spreading" as const, next: "2025-12-08T11:05:00Z" };
    expect(waitingText("tr", next, NOW, TZ)).toBe("Gün pencereye yayılıyor; sonraki 14:05");
    expect(waitingText("en", next, NOW, TZ)).toBe("Spreading the day over the window; next at 14:05");
  });

  it("says it without a time when none is known, and nothing when it does not wait", () => {
    expect(waitingText("tr", { why: "outsideWindow", opens: null }, NOW, TZ)).toBe(
      "Gönderim aralığı dışında.",
    );
    expect(waitingText("en", { why: "noAccount", until: null }, NOW, TZ)).toMatch(/^No account may send now/);
    expect(waitingText("tr", null, NOW, TZ)).toBeNull();
  });
});

describe("the window as text", () => {
  it("joins runs of three or more days with a dash", () => {
    expect(daysText("tr", [1, 2, 3, 4, 5])).toBe("Pzt–Cum");
    expect(daysText("en", [5, 4, 3, 2, 1])).toBe("Mon–Fri");
    expect(daysText("tr", [1, 3, 5])).toBe("Pzt, Çar, Cum");
    expect(daysText("tr", [6, 7])).toBe("Cmt, Paz");
    expect(daysText("tr", [1, 2, 3, 5, 6, 7])).toBe("Pzt–Çar, Cum–Paz");
    expect(daysText("tr", [1, 2, 3, 4, 5, 6, 7])).toBe("Her gün");
    expect(daysText("en", [])).toBe("");
  });

  it("says the days and hours", () => {
    const w = { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" };
    expect(windowText("tr", w)).toBe("Pzt–Cum 09:00–18:00");
    expect(windowText("en", { ...w, days: [6], end: "24:00" })).toBe("Sat 09:00–24:00");
  });
});

describe("the form's window", () => {
  it("starts Monday to Friday, 09:00–18:00 in Istanbul, skipping holidays", () => {
    expect(newWindowForm()).toEqual({
      days: [1, 2, 3, 4, 5],
      start: "09:00",
      end: "18:00",
      timeZone: DEFAULT_ZONE,
      skipHolidays: true,
    });
    expect(DEFAULT_ZONE).toBe("Europe/Istanbul");
  });

  it("ticks and unticks days, in order", () => {
    expect(toggleDay([1, 2, 3], 6, true)).toEqual([1, 2, 3, 6]);
    expect(toggleDay([1, 2, 3], 2, false)).toEqual([1, 3]);
    expect(toggleDay([3, 1], 1, true)).toEqual([1, 3]);
  });

  it("reads times as typed", () => {
    expect(parseTime("09:00")).toBe(540);
    expect(parseTime(" 9:30 ")).toBe(570);
    expect(parseTime("18.15")).toBe(1095);
    expect(parseTime("24:00")).toBe(1440);
    expect(parseTime("24:01")).toBeUndefined();
    expect(parseTime("23:60")).toBeUndefined();
    expect(parseTime("9")).toBeUndefined();
    expect(parseTime("")).toBeUndefined();
    expect(normalizeTime("9:05")).toBe("09:05");
    expect(normalizeTime("24:00")).toBe("24:00");
    expect(normalizeTime("abc")).toBeUndefined();
  });

  it("checks while typing, in both languages", () => {
    expect(validateWindow("tr", newWindowForm())).toEqual({});
    const none = validateWindow("tr", { days: [], start: "09:00", end: "18:00" });
    expect(none.days?.message).toBe("En az bir gün seçin.");
    const bad = validateWindow("en", { days: [1], start: "9", end: "25:00" });
    expect(bad.start?.message).toBe("The time must be written as HH:MM.");
    expect(bad.start?.hint).toContain("24:00");
    expect(bad.end?.message).toBe("The time must be written as HH:MM.");
    const order = validateWindow("tr", { days: [1], start: "18:00", end: "09:00" });
    expect(order.end?.message).toBe("Bitiş saati başlangıçtan sonra olmalı.");
    expect(validateWindow("tr", { days: [1], start: "10:00", end: "10:00" }).end).toBeDefined();
    expect(validateWindow("tr", { days: [1], start: "18:00", end: "24:00" })).toEqual({});
    expect(validateWindow("tr", { days: [1], start: "24:00", end: "24:00" }).start?.message).toBe(
      "Başlangıç 24:00 olamaz.",
    );
  });

  it("makes the window to send, or null while a check fails", () => {
    const form = { ...newWindowForm(), days: [5, 1, 1], start: "9:00", end: "24:00" };
    expect(toWindow(form)).toEqual({
      days: [1, 5],
      start: "09:00",
      end: "24:00",
      timeZone: "Europe/Istanbul",
      skipHolidays: true,
    });
    expect(toWindow({ ...form, end: "08:00" })).toBeNull();
    expect(toWindow({ ...form, days: [] })).toBeNull();
  });

  it("offers a handful of zones, the computer's own first when it is not one", () => {
    expect(ZONES[0]).toBe("Europe/Istanbul");
    expect(zoneOptions("Europe/Istanbul")).toEqual([...ZONES]);
    expect(zoneOptions("Asia/Tokyo")[0]).toBe("Asia/Tokyo");
    expect(zoneOptions(undefined)).toEqual([...ZONES]);
  });
});

describe("the rest of the form", () => {
  it("puts the backend's errors under the field they name", () => {
    expect(createErrorField({ code: "validation.required", field: "name" })).toBe("name");
    expect(createErrorField({ code: "campaign.bad_zone", field: "timeZone" })).toBe("timeZone");
    expect(createErrorField({ code: "campaign.bad_window", field: "window" })).toBe("window");
    expect(createErrorField({ code: "campaign.no_recipients", field: "recipients" })).toBe("recipients");
    expect(createErrorField({ code: "campaign.no_accounts", field: null })).toBe("accounts");
    expect(createErrorField({ code: "campaign.duplicate", field: null })).toBe("name");
    expect(createErrorField({ code: "template.not_found", field: null })).toBe("template");
    expect(createErrorField({ code: "import.bad_csv", field: "csv" })).toBe("recipients");
    expect(createErrorField({ code: "internal", field: null })).toBeNull();
    expect(createErrorField({ code: "store.io", field: "somethingElse" })).toBeNull();
  });

  it("labels an account with its daily limit when it has one", () => {
    const limits = { daily: 30, minWaitMs: 1000, jitterMs: 0, rampUp: null };
    expect(accountLabel("tr", { email: "ayse@firma.com", limits })).toBe(
      "ayse@firma.com (günde en çok 30)",
    );
    expect(accountLabel("en", { email: "ayse@firma.com", limits })).toBe(
      "ayse@firma.com (at most 30 a day)",
    );
    expect(accountLabel("tr", { email: "ali@firma.com", limits: { ...limits, daily: null } })).toBe(
      "ali@firma.com",
    );
  });

  it("says what was queued", () => {
    expect(createdText("tr", 40)).toBe("40 ileti kuyruğa alındı; başlatmak için Başlat'a basın");
    expect(createdText("en", 1)).toBe("1 message queued; press Start to begin");
    expect(createdText("en", 1200)).toBe("1,200 messages queued; press Start to begin");
  });
});

describe("the forward view", () => {
  it("heads its columns today, tomorrow, then the dates", () => {
    expect(FORECAST_SHOWN).toBe(7);
    expect(forecastDayLabel("tr", "2025-12-08", 0)).toBe("Bugün");
    expect(forecastDayLabel("en", "2025-12-09", 1)).toBe("Tomorrow");
    const tr = forecastDayLabel("tr", "2025-12-10", 2);
    expect(tr).toContain("10");
    expect(tr).toContain("Ara");
    expect(tr).toContain("Çar");
    expect(forecastDayLabel("en", "2025-12-10", 2)).toContain("Dec");
    expect(forecastDayLabel("en", "soon", 3)).toBe("soon");
  });

  it("says how many messages have no day", () => {
    expect(unplacedText("tr", 0, 14)).toBeNull();
    expect(unplacedText("tr", 12, 14)).toBe(
      "12 ileti önümüzdeki 14 günde gönderilemeyecek: hesaplar kapalı, hatalı ya da dolu",
    );
    expect(unplacedText("en", 3, 14)).toMatch(/^3 messages cannot be sent in the next 14 days/);
  });
});
