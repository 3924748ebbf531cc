import { describe, expect, it } from "vitest";
import type { Automation, AutomationAction, EventEmitted } from "./bindings";
import {
  AUTOMATION_EVENTS,
  AUTOMATION_VARIABLES,
  actionRunText,
  actionSummary,
  actionWarning,
  cliLine,
  curlLine,
  endpointUrl,
  eventLabel,
  eventTypeOf,
  freshEventId,
  kindLabel,
  localStamp,
  outcomeLabel,
  sampleEvent,
  testOutcome,
  variableLabel,
  whenText,
  withEventId,
  type Readiness,
} from "./automations";
import { SEEDS } from "./automations.fixtures";

const seed = (i: number): Automation => SEEDS[i] as Automation;
const accounts = [{ id: 7, email: "satis@ozturkgida.com.tr" }];
const SHEET_ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";

describe("events and kinds in words", () => {
  it("names the four events in Turkish first, English second", () => {
    expect(AUTOMATION_EVENTS.map((e) => eventLabel(e, "tr"))).toEqual([
      "Fırsat oluşturuldu",
      "Teklif gönderildi",
      "Toplantı planlandı",
      "Fatura ödendi",
    ]);
    expect(eventLabel("invoice.paid", "en")).toBe("Invoice paid");
    expect(eventLabel("order.shipped", "tr")).toBe("order.shipped");
    expect(kindLabel("sheetRow", "tr")).toBe("Google E-Tablolar satırı");
    expect(kindLabel("sheetRow", "en")).toBe("Google Sheets row");
    expect(kindLabel("fax", "en")).toBe("fax");
  });

  it("labels every variable, the record's too", () => {
    for (const name of AUTOMATION_VARIABLES) {
      expect(variableLabel(name, "tr"), name).not.toBe(name);
      expect(variableLabel(name, "en"), name).not.toBe(name);
    }
    expect(variableLabel("record.start_time", "tr")).toBe("Başlangıç saati");
    expect(variableLabel("contact.first_name", "tr")).toBe("Kişi adı");
  });
});

describe("a rule's actions in words", () => {
  it("says each seed's actions", () => {
    const ctx = (a: Automation) => ({ accounts, event: a.event, lang: "tr" as const });
    expect(seed(0).actions.map((a) => actionSummary(a, ctx(seed(0))))).toEqual([
      "E-posta: «Fırsat teşekkür» şablonu, hesap: Test kutusu",
    ]);
    const quote = seed(1).actions.map((a) => actionSummary(a, ctx(seed(1))));
    expect(quote[0]).toMatch(/^SMS: Test kutusu — «Sayın \{\{ contact\.name \}\}, .*…»$/);
    expect(quote[1]).toBe("E-posta: «Teklif» şablonu, hesap: Test kutusu");
    expect(actionSummary(seed(2).actions[0] as AutomationAction, ctx(seed(2)))).toBe(
      "WhatsApp: toplanti_hatirlatma (tr), toplantıdan 60 dk önce — Test kutusu",
    );
    expect(actionSummary(seed(3).actions[1] as AutomationAction, ctx(seed(3)))).toBe(
      "Google E-Tablolar satırı: tablo adresi girilmedi",
    );
  });

  it("names a row's spreadsheet and sheet, its first sheet when none", () => {
    const ctx = { accounts, event: "invoice.paid", lang: "tr" as const };
    const url = `https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit#gid=0`;
    expect(actionSummary({ kind: "sheetRow", spreadsheet: SHEET_ID }, ctx)).toBe(
      `Google E-Tablolar satırı: ${SHEET_ID}, ilk sayfası`,
    );
    expect(actionSummary({ kind: "sheetRow", spreadsheet: SHEET_ID, sheet: " Ödemeler " }, ctx)).toBe(
      `Google E-Tablolar satırı: ${SHEET_ID}, «Ödemeler» sayfası`,
    );
    const long = actionSummary({ kind: "sheetRow", spreadsheet: url, sheet: null }, { ...ctx, lang: "en" });
    expect(long).toMatch(/^Google Sheets row: https:\/\/docs\.google\.com\/spreadsheets\/d\/.*…, its first sheet$/);
    expect(long).not.toContain("henüz");
  });

  it("names the account and the provider", () => {
    const ctx = { accounts, event: "quote.sent", lang: "tr" as const };
    expect(actionSummary({ kind: "email", template: "Teklif", accountId: 7 }, ctx)).toBe(
      "E-posta: «Teklif» şablonu, hesap: satis@ozturkgida.com.tr",
    );
    expect(actionSummary({ kind: "email", template: "Teklif", accountId: 9 }, ctx)).toContain("hesap #9");
    expect(actionSummary({ kind: "sms", provider: "twilio", text: "Merhaba" }, ctx)).toBe(
      "SMS: Twilio — «Merhaba»",
    );
    expect(
      actionSummary(
        { kind: "whatsapp", provider: "meta", template: "x", language: "tr", params: [], beforeMinutes: null },
        { ...ctx, lang: "en" },
      ),
    ).toBe("WhatsApp: x (tr), at once — WhatsApp Cloud API (Meta)");
  });

  it("says when a reminder goes", () => {
    expect(whenText(null, "meeting.scheduled", "tr")).toBe("hemen");
    expect(whenText(0, "meeting.scheduled", "tr")).toBe("başlangıç saatinde");
    expect(whenText(30, "deal.created", "tr")).toBe("başlangıçtan 30 dk önce");
  });

  it("warns of what stands in an action's way, only from lists that were read", () => {
    const ready: Readiness = { templates: ["Teklif"], accounts, sms: ["netgsm"], whatsapp: [] };
    const email = (template: string, accountId: number | null = null): AutomationAction => ({
      kind: "email",
      template,
      accountId,
    });
    expect(actionWarning(email("Teklif"), ready, "tr")).toBeNull();
    expect(actionWarning(email("Fırsat teşekkür"), ready, "tr")).toContain("«Fırsat teşekkür»");
    expect(actionWarning(email("Teklif", 9), ready, "tr")).toContain("hesabı artık yok");
    expect(actionWarning(email("Yok"), { ...ready, templates: null }, "tr")).toBeNull();
    expect(actionWarning({ kind: "sms", provider: null, text: "x" }, ready, "tr")).toBeNull();
    expect(actionWarning({ kind: "sms", provider: "twilio", text: "x" }, ready, "tr")).toContain("Twilio");
  });

  it("warns of a row's spreadsheet not named, not one, or Google E-Tablolar not connected", () => {
    const ready: Readiness = { templates: [], accounts: [], sms: [], whatsapp: [] };
    const row = (spreadsheet: string): AutomationAction => ({ kind: "sheetRow", spreadsheet });
    expect(actionWarning(row(""), ready, "tr")).toMatch(/^Tablo adresi girilmedi/);
    expect(actionWarning(row("  "), { ...ready, sheets: "connected" }, "tr")).toMatch(/^Tablo adresi girilmedi/);
    expect(actionWarning(row("tablom"), ready, "tr")).toMatch(/Google E-Tablolar adresi ya da kimliği değil/);
    // Not known (not read): nothing is said of the connection.
    expect(actionWarning(row(SHEET_ID), ready, "tr")).toBeNull();
    expect(actionWarning(row(SHEET_ID), { ...ready, sheets: null }, "tr")).toBeNull();
    expect(actionWarning(row(SHEET_ID), { ...ready, sheets: "connected" }, "tr")).toBeNull();
    for (const sheets of ["not_connected", "error"] as const) {
      expect(actionWarning(row(SHEET_ID), { ...ready, sheets }, "tr")).toBe(
        "Google E-Tablolar bağlı değil: Entegrasyonlar › Google'dan bağlayın; bağlanana dek satır eklenmez.",
      );
    }
    expect(actionWarning(row(SHEET_ID), { ...ready, sheets: "not_connected" }, "en")).toMatch(
      /Integrations › Google/,
    );
    for (const lang of ["tr", "en"] as const) {
      for (const sheets of ["not_connected", "connected"] as const) {
        for (const s of ["", "x", SHEET_ID]) {
          expect(actionWarning(row(s), { ...ready, sheets }, lang) ?? "").not.toMatch(/henüz|not .* yet/);
        }
      }
    }
  });
});

describe("runs in words", () => {
  it("says the outcome and each action's", () => {
    expect(outcomeLabel("queued", "tr")).toBe("Kuyruğa alındı");
    expect(outcomeLabel("partial", "en")).toBe("Partly queued");
    expect(outcomeLabel("odd", "tr")).toBe("odd");
    expect(actionRunText({ kind: "sms", ok: true, messageIds: [41, 42], code: null }, "tr")).toBe(
      "kuyruğa alındı (#41, #42)",
    );
    const sheet = actionRunText(
      { kind: "sheetRow", ok: false, messageIds: [], code: "automation.sheets_not_connected" },
      "tr",
    );
    expect(sheet).toMatch(/^Google E-Tablolar bağlı değil: Entegrasyonlar › Google'dan bağlayın; satır eklenmedi\./);
    expect(sheet).not.toMatch(/henüz/);
    const sheetEn = actionRunText(
      { kind: "sheetRow", ok: false, messageIds: [], code: "automation.sheets_not_connected" },
      "en",
    );
    expect(sheetEn).toMatch(/Integrations › Google/);
    expect(sheetEn).not.toMatch(/not in Ulak yet/);
    expect(actionRunText({ kind: "whatsapp", ok: false, messageIds: [], code: "validation.required" }, "tr")).toMatch(
      /data\.start/,
    );
    expect(actionRunText({ kind: "email", ok: false, messageIds: [], code: "something.new" }, "en")).toBe(
      "something.new",
    );
  });

  it("gives the test result's outcome", () => {
    const run = { eventId: "e", ranAt: "2026-12-07T09:00:00Z", outcome: "partial", actions: [] };
    const emitted = (over: Partial<EventEmitted>): EventEmitted => ({
      eventId: "e",
      duplicate: false,
      runs: [],
      ...over,
    });
    expect(testOutcome(emitted({}))).toBe("none");
    expect(testOutcome(emitted({ runs: [{ automationId: 2, name: "x", run }] }))).toBe("partial");
    expect(testOutcome(emitted({ duplicate: true, runs: [{ automationId: 2, name: "x", run }] }))).toBe("duplicate");
  });
});

describe("the test event", () => {
  const now = new Date(2026, 11, 7, 9, 30);

  it("makes a Turkish sample of each type, under the id given", () => {
    for (const type of AUTOMATION_EVENTS) {
      const event = JSON.parse(sampleEvent(type, "deneme-1", now));
      expect(event.type).toBe(type);
      expect(event.id).toBe("deneme-1");
      expect(event.data.company).toEqual({ name: "Öztürk Gıda" });
      expect(event.data.contact).toEqual({ name: "Işıl Öztürk", email: "isil@ornek.com.tr", phone: "0532 123 45 67" });
    }
    expect(JSON.parse(sampleEvent("quote.sent", "x", now)).data.number).toBe("TKL-2026-117");
  });

  it("starts the sample meeting two hours from now, in local time", () => {
    const meeting = JSON.parse(sampleEvent("meeting.scheduled", "x", now, "Europe/Istanbul"));
    expect(meeting.data.start).toBe("2026-12-07 11:30");
    expect(meeting.data.timeZone).toBe("Europe/Istanbul");
    expect(JSON.parse(sampleEvent("meeting.scheduled", "x", now)).data.timeZone).toBeUndefined();
    expect(localStamp(new Date(2026, 0, 2, 3, 4))).toBe("2026-01-02 03:04");
  });

  it("gives a fresh id, and puts it in the JSON as typed", () => {
    expect(freshEventId(1_000, () => 0)).toBe("deneme-rs-0000");
    expect(freshEventId(1_000, () => 0.5)).not.toBe(freshEventId(1_000, () => 0.25));
    const typed = '{"type": "deal.created", "id": "eski", "data": {"title": "Değişti"}}';
    expect(JSON.parse(withEventId(typed, "yeni") ?? "")).toEqual({
      type: "deal.created",
      id: "yeni",
      data: { title: "Değişti" },
    });
    expect(withEventId("{bozuk", "yeni")).toBeNull();
    expect(withEventId("[1]", "yeni")).toBeNull();
    expect(eventTypeOf(typed)).toBe("deal.created");
    expect(eventTypeOf('{"type": "order.shipped"}')).toBeNull();
    expect(eventTypeOf("{")).toBeNull();
  });
});

describe("the CRM's address", () => {
  it("is on this computer, at the receiver's port", () => {
    expect(endpointUrl(8787)).toBe("http://127.0.0.1:8787/events");
    expect(endpointUrl(null)).toBeNull();
    expect(curlLine(8787, "ulak_evt_abc", "tr")).toBe(
      'curl -X POST http://127.0.0.1:8787/events -H "Authorization: Bearer ulak_evt_abc" -H "Content-Type: application/json" --data @olay.json',
    );
    expect(curlLine(null, null, "en")).toContain("http://127.0.0.1:<port>/events");
    expect(curlLine(null, null, "en")).toContain("Bearer <token>");
    expect(cliLine("tr")).toBe("ulak event emit quote.sent --json olay.json");
  });
});
