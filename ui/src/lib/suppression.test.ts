import { describe, expect, it } from "vitest";
import type { Suppression } from "./bindings";
import { keysOf, lookup, dictionaries } from "./i18n";
import en from "./i18n/en";
import tr from "./i18n/tr";
import {
  DEFAULT_REASON,
  NOTE_MAX,
  REASONS,
  addedText,
  checkNote,
  checkRequestedAt,
  checkValue,
  deadlines,
  exportFileName,
  filterEntries,
  foldForSearch,
  formatDate,
  formatDay,
  gmailDeadlineState,
  isDay,
  issueText,
  istanbulDay,
  localDay,
  matchesSearch,
  reasonLabel,
  rejectedLine,
  rejectedReason,
  requestedAtToSend,
  trDeadlineState,
  valueKind,
  type IssueKind,
} from "./suppression";

function entry(over: Partial<Suppression> = {}): Suppression {
  return {
    value: "çağla@örnek.com.tr",
    kind: "email",
    reason: "unsubscribed",
    note: "",
    // Monday 7 December 2026, 12:00 in Istanbul.
    requestedAt: "2026-12-07T09:00:00Z",
    addedAt: "2026-12-07T09:00:05Z",
    deadlineTr: "2026-12-10",
    deadlineGmail: "2026-12-09T09:00:00Z",
    ...over,
  };
}

const kind = (raw: string): IssueKind | null => checkValue(raw)?.kind ?? null;

describe("the value as typed", () => {
  it("takes e-mail addresses, Turkish letters included", () => {
    for (const ok of [
      "çağla@örnek.com.tr",
      "ŞÜKRÜ.IŞIK@şirket.com.tr",
      "ali.veli+haber@firma.com",
      "  satis@firma.com.tr  ",
    ]) {
      expect(checkValue(ok), ok).toBeNull();
      expect(valueKind(ok), ok).toBe("email");
    }
  });

  it("takes phone numbers as people write them", () => {
    for (const ok of ["0532 123 45 67", "+90 532 123 45 67", "(0532) 123-45-67", "05321234567", "+905321234567"]) {
      expect(checkValue(ok), ok).toBeNull();
      expect(valueKind(ok), ok).toBe("phone");
    }
  });

  it("says what is wrong with an e-mail address", () => {
    expect(kind("a@")).toBe("emailNoDomain");
    expect(kind("@firma.com")).toBe("emailNoLocal");
    expect(kind("ali@firma")).toBe("emailNoDot");
    expect(kind("ali@firma.")).toBe("emailNoDot");
    expect(kind("ali veli@firma.com")).toBe("emailSpace");
    expect(kind("a@b@firma.com")).toBe("emailManyAt");
    expect(kind("ali..veli@firma.com")).toBe("emailShape");
    expect(kind("ali@firma.c")).toBe("emailShape");
    expect(checkValue(`${"a".repeat(250)}@firma.com`)).toEqual({ kind: "tooLong", params: { max: 254 } });
  });

  it("says what is wrong with a phone number", () => {
    expect(checkValue("12")).toEqual({ kind: "phoneShort", params: { count: 2, min: 10 } });
    expect(checkValue("0532 123 45")?.kind).toBe("phoneShort");
    expect(kind("0532.123.45.67")).toBe("phoneChars");
    expect(kind("0532/1234567")).toBe("phoneChars");
    expect(kind("90+5321234567")).toBe("phonePlus");
    expect(kind("ali veli")).toBe("letters");
    expect(kind("çağla")).toBe("letters");
    expect(checkValue("+90 532 123 45 67 89 01 23")?.kind).toBe("phoneLong");
    // Leading zeros (a trunk or "00" prefix) do not count towards the limit.
    expect(checkValue("0090 532 123 45 67")).toBeNull();
  });

  it("refuses line breaks and control characters, and asks for a value", () => {
    expect(kind("ali@firma.com\r\n")).toBe("control");
    expect(kind("ali@firma.com\nveli@firma.com")).toBe("control");
    expect(kind("0532 123 45 67\t")).toBe("control");
    expect(kind("")).toBe("required");
    expect(kind("   ")).toBe("required");
    expect(valueKind("  ")).toBeNull();
  });

  it("every issue has words in both languages, what is wrong and how to fix it", () => {
    const kinds: IssueKind[] = [
      "required",
      "control",
      "tooLong",
      "letters",
      "emailSpace",
      "emailManyAt",
      "emailNoLocal",
      "emailNoDomain",
      "emailNoDot",
      "emailShape",
      "phoneChars",
      "phonePlus",
      "phoneShort",
      "phoneLong",
      "dateBad",
      "dateFuture",
    ];
    const params = { max: 9, min: 10, count: 2 };
    for (const lang of ["tr", "en"] as const) {
      for (const k of kinds) {
        const text = issueText({ kind: k, params }, lang);
        expect(text.message, `${lang}:${k}`).not.toMatch(/suppression\.|\{\w+\}/);
        expect(text.hint, `${lang}:${k}`).not.toMatch(/suppression\.|\{\w+\}/);
      }
    }
    expect(issueText({ kind: "phoneShort", params: { count: 2, min: 10 } }, "tr").message).toBe(
      "Numara çok kısa: 2 rakam var, en az 10 gerekli.",
    );
    expect(issueText(checkValue("a@") ?? { kind: "required" }, "en").message).toBe(
      "The domain after the @ is missing.",
    );
  });
});

describe("the note and the date of the refusal", () => {
  it("a note is one line of at most 500 characters", () => {
    expect(checkNote("")).toBeNull();
    expect(checkNote("Fuarda sözlü olarak istedi")).toBeNull();
    expect(checkNote("a".repeat(NOTE_MAX))).toBeNull();
    expect(checkNote("a".repeat(NOTE_MAX + 1))).toEqual({ kind: "tooLong", params: { max: 500 } });
    expect(checkNote("iki\nsatır")?.kind).toBe("control");
  });

  it("the date is optional, a real day, and not in the future", () => {
    const today = "2026-12-07";
    expect(checkRequestedAt("", today)).toBeNull();
    expect(checkRequestedAt("2026-12-01", today)).toBeNull();
    expect(checkRequestedAt(today, today)).toBeNull();
    expect(checkRequestedAt("2026-12-08", today)?.kind).toBe("dateFuture");
    expect(checkRequestedAt("2026-02-30", today)?.kind).toBe("dateBad");
    expect(checkRequestedAt("07.12.2026", today)?.kind).toBe("dateBad");
    expect(checkRequestedAt("", today, true)?.kind).toBe("dateBad");
    expect(requestedAtToSend("")).toBeNull();
    expect(requestedAtToSend("2026-12-01")).toBe("2026-12-01");
  });

  it("knows a real day", () => {
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2026-13-01")).toBe(false);
  });
});

describe("reasons", () => {
  it("default to unsubscribed and have a label in both languages", () => {
    expect(DEFAULT_REASON).toBe("unsubscribed");
    expect(REASONS).toEqual(["unsubscribed", "iys", "bounce", "manual"]);
    for (const reason of REASONS) {
      expect(lookup(dictionaries.tr, `suppression.reason.${reason}`), reason).toBeTruthy();
      expect(lookup(dictionaries.en, `suppression.reason.${reason}`), reason).toBeTruthy();
    }
    expect(REASONS.map((r) => reasonLabel(r, "tr"))).toEqual([
      "Abonelikten çıktı",
      "İYS / RET ile ret",
      "Geçersiz adres (geri döndü)",
      "Elle eklendi",
    ]);
    expect(REASONS.map((r) => reasonLabel(r, "en"))).toEqual([
      "Unsubscribed",
      "Refused via İYS / RET",
      "Bounced (invalid)",
      "Added by hand",
    ]);
    expect(reasonLabel("something-new", "tr")).toBe("something-new");
  });

  it("the page's words exist in both dictionaries alike", () => {
    const trKeys = keysOf(tr.suppression).sort();
    expect(keysOf(en.suppression).sort()).toEqual(trKeys);
    expect(trKeys.length).toBeGreaterThan(40);
  });
});

describe("deadlines", () => {
  it("Türkiye's is met when the entry was added on or before its last day (Istanbul's day)", () => {
    expect(trDeadlineState(entry())).toBe("met");
    // Added on the last day itself, late in the evening in Istanbul (20:59 UTC = 23:59).
    expect(trDeadlineState(entry({ addedAt: "2026-12-10T20:59:00Z" }))).toBe("met");
    // Past midnight in Istanbul: the next day, too late.
    expect(trDeadlineState(entry({ addedAt: "2026-12-10T21:01:00Z" }))).toBe("passed");
    expect(trDeadlineState(entry({ addedAt: "2026-12-20T09:00:00Z" }))).toBe("passed");
    expect(trDeadlineState(entry({ addedAt: "nonsense" }))).toBe("unknown");
    expect(trDeadlineState(entry({ deadlineTr: "" }))).toBe("unknown");
  });

  it("Gmail's is met within 48 hours of the request", () => {
    expect(gmailDeadlineState(entry())).toBe("met");
    expect(gmailDeadlineState(entry({ addedAt: "2026-12-09T09:00:00Z" }))).toBe("met");
    expect(gmailDeadlineState(entry({ addedAt: "2026-12-09T09:00:01Z" }))).toBe("passed");
    expect(gmailDeadlineState(entry({ deadlineGmail: "" }))).toBe("unknown");
  });

  it("counts the day in Istanbul, whatever the machine's zone", () => {
    expect(istanbulDay("2026-12-07T20:59:59Z")).toBe("2026-12-07");
    expect(istanbulDay("2026-12-07T21:00:00Z")).toBe("2026-12-08");
    expect(istanbulDay("bad")).toBeNull();
  });

  it("words them with a mark: met, or passed with a warning", () => {
    const ok = deadlines(entry(), "tr");
    expect(ok.tr.text).toMatch(/^Türkiye: 10 Ara 2026$/);
    expect(ok.tr.mark).toBe("karşılandı");
    // The machine's local time: the day may differ by zone.
    expect(ok.gmail.text).toMatch(/^Gmail: \d{1,2} Ara 2026 \d{2}:\d{2}$/);
    expect(ok.gmail.mark).toBe("karşılandı");
    expect(ok.tr.title).toContain("10 Ara 2026");

    const late = deadlines(entry({ addedAt: "2026-12-20T09:00:00Z" }), "en");
    expect(late.tr.text).toBe("Türkiye: 10 Dec 2026");
    expect(late.tr.state).toBe("passed");
    expect(late.tr.mark).toBe("deadline passed");
    expect(late.gmail.mark).toBe("deadline passed");

    const unknown = deadlines(entry({ deadlineTr: "?" }), "en");
    expect(unknown.tr).toMatchObject({ state: "unknown", mark: "", text: "Türkiye: ?" });
  });

  it("formats a day in the language", () => {
    expect(formatDay("2026-12-10", "tr")).toBe("10 Ara 2026");
    expect(formatDay("2026-12-10", "en")).toBe("10 Dec 2026");
    expect(formatDay("soon", "en")).toBe("soon");
  });
});

describe("the search box", () => {
  const list = [
    entry(),
    entry({ value: "info@ışık.com.tr", note: "İSTANBUL fuarı" }),
    entry({ value: "+905321234567", kind: "phone", note: "RET yanıtı" }),
  ];

  it("folds case the Turkish way, and forgives missing Turkish letters", () => {
    expect(foldForSearch("İSTANBUL")).toBe("istanbul");
    expect(foldForSearch("IŞIK")).toBe("isik");
    expect(foldForSearch("ÇAĞLA")).toBe(foldForSearch("cagla"));
    expect(filterEntries(list, "ÇAĞLA").map((e) => e.value)).toEqual(["çağla@örnek.com.tr"]);
    expect(filterEntries(list, "cagla").map((e) => e.value)).toEqual(["çağla@örnek.com.tr"]);
    expect(filterEntries(list, "ISIK").map((e) => e.value)).toEqual(["info@ışık.com.tr"]);
    expect(filterEntries(list, "istanbul").map((e) => e.value)).toEqual(["info@ışık.com.tr"]);
  });

  it("searches the note too, and matches everything when empty", () => {
    expect(filterEntries(list, "ret").map((e) => e.value)).toEqual(["+905321234567"]);
    expect(filterEntries(list, "  ")).toHaveLength(3);
    expect(filterEntries(list, "yok-böyle-bir-şey")).toEqual([]);
  });

  it("finds a number written the local way", () => {
    expect(matchesSearch(list[2] as Suppression, "0532 123")).toBe(true);
    expect(matchesSearch(list[2] as Suppression, "(532) 123-45")).toBe(true);
    expect(matchesSearch(list[0] as Suppression, "0532")).toBe(false);
  });
});

describe("the add's outcome, import and export", () => {
  it("says the value was listed, or was listed already and left as it was", () => {
    expect(addedText({ entry: entry(), new: true }, "tr")).toBe(
      "çağla@örnek.com.tr engelleme listesine eklendi; artık ona hiçbir şey gönderilmez.",
    );
    // The refusal's local date: 7 December in Türkiye, whatever the zone here.
    const day = (lang: "tr" | "en"): string => formatDate(entry().requestedAt, lang);
    expect(day("tr")).toMatch(/^\d{1,2} Ara 2026$/);
    expect(addedText({ entry: entry({ reason: "iys" }), new: false }, "tr")).toBe(
      `çağla@örnek.com.tr zaten listede (İYS / RET ile ret, ${day("tr")}); değiştirilmedi.`,
    );
    expect(addedText({ entry: entry(), new: false }, "en")).toBe(
      `çağla@örnek.com.tr is on the list already (Unsubscribed, ${day("en")}); left unchanged.`,
    );
  });

  it("words each rejected line by its error code, as ErrorAlert would", () => {
    expect(rejectedReason({ code: "validation.phone" }, "tr")).toBe("Geçerli bir telefon numarası değil.");
    expect(rejectedReason({ code: "outbox.bad_date" }, "en")).not.toBe("outbox.bad_date");
    expect(rejectedLine({ line: 4, value: "12", code: "validation.phone" }, "tr")).toBe(
      "Satır 4: 12 — Geçerli bir telefon numarası değil.",
    );
    expect(rejectedLine({ line: 7, value: " ", code: "validation.required" }, "en")).toBe(
      "Line 7: (empty) — This field is required.",
    );
    // A code the window does not know: the code itself rather than nothing.
    expect(rejectedReason({ code: "suppress.something_new" }, "en")).toBe("suppress.something_new");
  });

  it("names the export after the local day", () => {
    const now = new Date(2026, 11, 7, 23, 59);
    expect(exportFileName(now)).toBe("engelleme-listesi-2026-12-07.csv");
    expect(localDay(new Date(2027, 0, 3))).toBe("2027-01-03");
  });
});
