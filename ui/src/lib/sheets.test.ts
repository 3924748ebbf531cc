import { describe, expect, it } from "vitest";
import type { ErrorPayload } from "./bindings";
import { describeError, translate } from "./i18n";
import { SPREADSHEET_FIELD, exportFailure, spreadsheetId, spreadsheetIssue, toTarget } from "./sheets";

const ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";

const payload = (code: ErrorPayload["code"], field: string | null = null): ErrorPayload => ({
  code,
  message: code,
  hint: null,
  field,
});

describe("the spreadsheet's id", () => {
  it("reads it from the address, as the backend does", () => {
    expect(spreadsheetId(`https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`)).toBe(ID);
    expect(spreadsheetId(`https://docs.google.com/spreadsheets/d/${ID}`)).toBe(ID);
    expect(spreadsheetId(`https://docs.google.com/spreadsheets/d/${ID}?usp=sharing`)).toBe(ID);
    expect(spreadsheetId(`  https://docs.google.com/spreadsheets/u/1/d/${ID}/edit  `)).toBe(ID);
    expect(spreadsheetId("https://docs.google.com/spreadsheets/u/1/edit")).toBeNull();
    expect(spreadsheetId(`  ${ID} `)).toBe(ID);
  });

  it("refuses what is not one: empty, too short, other characters", () => {
    expect(spreadsheetId("")).toBeNull();
    expect(spreadsheetId("   ")).toBeNull();
    expect(spreadsheetId("tablom")).toBeNull();
    expect(spreadsheetId("https://docs.google.com/spreadsheets/d/")).toBeNull();
    expect(spreadsheetId(`${ID.slice(0, 19)}`)).toBeNull();
    expect(spreadsheetId(`${ID.slice(0, 20)}`)).toBe(ID.slice(0, 20));
    expect(spreadsheetId("x".repeat(200))).toBe("x".repeat(200));
    expect(spreadsheetId("x".repeat(201))).toBeNull();
    expect(spreadsheetId(`${ID}ş`)).toBeNull();
    expect(spreadsheetId(`${ID} ek`)).toBeNull();
    expect(spreadsheetId("https://example.com/spreadsheet")).toBeNull();
  });

  it("says an address that is not one, in the backend's words; empty means a new one", () => {
    expect(spreadsheetIssue("")).toBeNull();
    expect(spreadsheetIssue("  ")).toBeNull();
    expect(spreadsheetIssue(ID)).toBeNull();
    const issue = spreadsheetIssue("docs.google.com/tablom");
    expect(issue).toEqual({ code: "sheets.bad_spreadsheet", field: SPREADSHEET_FIELD });
    expect(describeError("tr", issue ?? { code: "" }).message).toBe(
      "Bu bir Google E-Tablolar adresi ya da kimliği değil.",
    );
  });
});

describe("where an export goes", () => {
  it("a new spreadsheet when no address is given, its first sheet when none is named", () => {
    expect(toTarget("", "")).toEqual({ spreadsheet: null, sheet: null });
    expect(toTarget("  ", " Gönderimler ")).toEqual({ spreadsheet: null, sheet: "Gönderimler" });
    expect(toTarget(` ${ID} `, "  ")).toEqual({ spreadsheet: ID, sheet: null });
    const url = `https://docs.google.com/spreadsheets/d/${ID}/edit`;
    expect(toTarget(url, "Mayıs")).toEqual({ spreadsheet: url, sheet: "Mayıs" });
  });

  it("shows a failure where it belongs", () => {
    expect(exportFailure(payload("sheets.not_connected")).kind).toBe("not_connected");
    expect(exportFailure(payload("sheets.bad_spreadsheet", "spreadsheet")).kind).toBe("field");
    expect(exportFailure(payload("sheets.bad_spreadsheet")).kind).toBe("field");
    expect(exportFailure({ ...payload("validation.too_long"), fields: ["spreadsheet"] }).kind).toBe("field");
    expect(exportFailure(payload("sheets.refused")).kind).toBe("alert");
    expect(exportFailure(payload("oauth.reconnect")).kind).toBe("alert");
    const error = payload("ui.backend_unreachable");
    expect(exportFailure(error)).toEqual({ kind: "alert", error });
  });
});

describe("words", () => {
  it("says what was exported, Turkish first", () => {
    expect(translate("tr", "sheets.export.doneOther", { rows: 42, title: "Ulak — Gönderim geçmişi" })).toBe(
      "42 ileti «Ulak — Gönderim geçmişi» tablosuna aktarıldı.",
    );
    expect(translate("en", "sheets.export.doneOne", { rows: 1, title: "Q" })).toBe(
      "1 message exported to the spreadsheet “Q”.",
    );
    expect(translate("tr", "sheets.export.history")).toBe("E-Tablolar'a aktar");
    expect(translate("tr", "sheets.export.campaign")).toBe("Sonuçları E-Tablolar'a aktar");
    expect(translate("tr", "sheets.export.running")).toBe("Aktarılıyor…");
    expect(translate("tr", "sheets.export.newSpreadsheet")).toBe("Yeni tablo oluşturulur");
    expect(translate("tr", "sheets.test.ok")).toBe("Google E-Tablolar yanıt veriyor.");
    expect(translate("tr", "integrations.sheets.name")).toBe("Google E-Tablolar");
    expect(translate("en", "integrations.sheets.name")).toBe("Google Sheets");
    expect(translate("tr", "sheets.connect")).toBe("Google E-Tablolar'ı bağla");
  });
});
