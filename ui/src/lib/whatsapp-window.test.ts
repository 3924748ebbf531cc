import { describe, expect, it } from "vitest";
import type { WhatsappWindow } from "./bindings";
import { WINDOW_CHECK_DELAY_MS, msUntilClose, windowTarget, windowView } from "./whatsapp-window";

const TZ = "Europe/Istanbul";
/** 8 Dec 2025, 15:00 in Istanbul. */
const NOW = new Date("2025-12-08T12:00:00Z");

const open = (until: string, last = "2025-12-08T09:00:00Z"): WhatsappWindow => ({
  lastReceivedAt: last,
  openUntil: until,
  open: true,
});

describe("windowTarget", () => {
  it("asks only for Meta's Cloud API and Twilio, and one number", () => {
    expect(windowTarget("meta", false, " 0532 123 45 67 ", [])).toEqual({ provider: "meta", to: "0532 123 45 67" });
    expect(windowTarget("twilio", false, " +905321234567 ", [])).toEqual({ provider: "twilio", to: "+905321234567" });
    expect(windowTarget("twilio", true, "", ["+905321234567"])).toEqual({ provider: "twilio", to: "+905321234567" });
    expect(windowTarget("twilio", true, "", ["+905321234567", "+905321234568"])).toBeNull();
    expect(windowTarget("twilio", false, "0532", [])).toBeNull();
    expect(windowTarget("sandbox", false, "0532 123 45 67", [])).toBeNull();
    expect(windowTarget("", false, "0532 123 45 67", [])).toBeNull();
    expect(windowTarget("meta", false, "", [])).toBeNull();
    expect(windowTarget("meta", false, "0532", [])).toBeNull();
    expect(windowTarget("meta", false, "abc", [])).toBeNull();
  });

  it("in the bulk mode, only when the list holds exactly one number", () => {
    expect(windowTarget("meta", true, "0532 000 00 00", ["+905321234567"])).toEqual({
      provider: "meta",
      to: "+905321234567",
    });
    expect(windowTarget("meta", true, "0532 000 00 00", [])).toBeNull();
    expect(windowTarget("meta", true, "0532 000 00 00", ["+905321234567", "+905321234568"])).toBeNull();
  });

  it("waits a moment after the last keystroke", () => {
    expect(WINDOW_CHECK_DELAY_MS).toBe(300);
  });
});

describe("windowView", () => {
  it("open: until when free text may go, the time alone today", () => {
    const view = windowView("tr", open("2025-12-08T18:30:00Z"), "text", NOW, TZ);
    expect(view).toEqual({
      kind: "open",
      open: true,
      warn: false,
      text: "Bu müşteri son 24 saat içinde yazdı: serbest metin 21:30 saatine kadar gönderilebilir.",
    });
    expect(windowView("en", open("2025-12-08T18:30:00Z"), "template", NOW, TZ).text).toBe(
      "This customer wrote within the last 24 hours: free text can be sent until 21:30.",
    );
  });

  it("open until tomorrow: with the date", () => {
    const view = windowView("tr", open("2025-12-09T08:00:00Z"), "text", NOW, TZ);
    expect(view.text).toBe("Bu müşteri son 24 saat içinde yazdı: serbest metin 9 Ara 11:00 saatine kadar gönderilebilir.");
    expect(windowView("en", open("2025-12-09T08:00:00Z"), "text", NOW, TZ).text).toContain("9 Dec 11:00");
  });

  it("closed: when the customer last wrote; a warning only for free text", () => {
    const closed: WhatsappWindow = { lastReceivedAt: "2025-12-05T07:15:00Z", openUntil: "2025-12-06T07:15:00Z", open: false };
    const text = windowView("tr", closed, "text", NOW, TZ);
    expect(text).toEqual({
      kind: "closed",
      open: false,
      warn: true,
      text: "24 saatlik pencere kapalı (son mesajı 5 Ara 10:15): onaylı bir şablon gönderin.",
    });
    expect(windowView("tr", closed, "template", NOW, TZ).warn).toBe(false);
    expect(windowView("en", closed, "template", NOW, TZ).text).toBe(
      "The 24-hour window is closed (last message 5 Dec 10:15): send an approved template.",
    );
  });

  it("never written", () => {
    const never: WhatsappWindow = { lastReceivedAt: null, openUntil: null, open: false };
    expect(windowView("tr", never, "text", NOW, TZ)).toEqual({
      kind: "never",
      open: false,
      warn: true,
      text: "Bu numaradan gelen mesaj yok: onaylı bir şablon gönderin.",
    });
    expect(windowView("en", never, "template", NOW, TZ).text).toBe(
      "No message has come from this number: send an approved template.",
    );
  });

  it("open without a closing time still says it is open", () => {
    const view = windowView("tr", { lastReceivedAt: null, openUntil: null, open: true }, "text", NOW, TZ);
    expect(view.open).toBe(true);
    expect(view.text).toBe("Bu müşteri son 24 saat içinde yazdı: serbest metin gönderilebilir.");
  });
});

describe("msUntilClose", () => {
  it("is the time left of an open window, within a day", () => {
    expect(msUntilClose(open("2025-12-08T12:30:00Z"), NOW)).toBe(30 * 60 * 1000);
    expect(msUntilClose(open("2025-12-08T11:00:00Z"), NOW)).toBeNull();
    expect(msUntilClose(open("2025-12-10T12:00:00Z"), NOW)).toBeNull();
    expect(msUntilClose(open("not a date"), NOW)).toBeNull();
    expect(msUntilClose({ lastReceivedAt: null, openUntil: "2025-12-08T12:30:00Z", open: false }, NOW)).toBeNull();
  });
});
