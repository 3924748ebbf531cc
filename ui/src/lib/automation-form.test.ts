import { describe, expect, it } from "vitest";
import type { Automation } from "./bindings";
import {
  actionForm,
  actionIssues,
  hasIssues,
  newAction,
  parseBefore,
  parseParams,
  ruleForm,
  ruleIssues,
  serverError,
  serverTarget,
  toInput,
  validateBefore,
  type ActionForm,
} from "./automation-form";
import { SEEDS } from "./automations.fixtures";
import { SANDBOX } from "./compose";

const seed = (i: number): Automation => SEEDS[i] as Automation;
let keys = 0;
const key = (): number => ++keys;

describe("the editor's form", () => {
  it("goes from a rule to the form and back unchanged", () => {
    for (const a of SEEDS) {
      const input = toInput(ruleForm(a, key));
      expect(input).toEqual({ name: a.name, event: a.event, actions: a.actions });
    }
    const form = actionForm({ kind: "email", template: "Teklif", accountId: 7 }, key());
    expect(form.account).toBe("7");
    expect(actionForm({ kind: "email", template: "Teklif", accountId: null }, key()).account).toBe(SANDBOX);
  });

  it("keeps a row's spreadsheet and sheet, trimmed; no sheet is null (its first sheet)", () => {
    const form = actionForm({ kind: "sheetRow", spreadsheet: "1abc", sheet: "Ödemeler" }, key());
    expect([form.spreadsheet, form.sheet]).toEqual(["1abc", "Ödemeler"]);
    expect(actionForm({ kind: "sheetRow", spreadsheet: "1abc" }, key()).sheet).toBe("");
    const row = { ...newAction("sheetRow", key()), spreadsheet: " https://docs.google.com/x ", sheet: "  " };
    expect(toInput({ name: "Kural", event: "invoice.paid", actions: [row] }).actions).toEqual([
      { kind: "sheetRow", spreadsheet: "https://docs.google.com/x", sheet: null },
    ]);
    expect(toInput({ name: "K", event: "invoice.paid", actions: [{ ...row, sheet: " Ulak 2 " }] }).actions).toEqual([
      { kind: "sheetRow", spreadsheet: "https://docs.google.com/x", sheet: "Ulak 2" },
    ]);
  });

  it("trims, reads the parameters one a line, and the minutes", () => {
    const wa = { ...newAction("whatsapp", key()), template: " hatirlatma ", params: "a\n\n  b \r\nc", before: "" };
    expect(toInput({ name: " Kural ", event: "quote.sent", actions: [wa] })).toEqual({
      name: "Kural",
      event: "quote.sent",
      actions: [
        {
          kind: "whatsapp",
          provider: null,
          template: "hatirlatma",
          language: "tr",
          params: ["a", "b", "c"],
          beforeMinutes: null,
        },
      ],
    });
    expect(parseParams("")).toEqual([]);
    expect(parseBefore(" 90 ")).toBe(90);
    expect(parseBefore("")).toBeNull();
    expect(parseBefore("1.5")).toBeNaN();
  });

  it("checks the minutes: a whole number from 0 to 10080, or nothing", () => {
    expect(validateBefore("")).toBeNull();
    expect(validateBefore("0")).toBeNull();
    expect(validateBefore("10080")).toBeNull();
    expect(validateBefore("10081")).toEqual({ code: "validation.range", params: { min: 0, max: 10080 } });
    expect(validateBefore("-5")?.code).toBe("validation.range");
    expect(validateBefore("2.5")?.code).toBe("validation.range");
    expect(validateBefore("", true)?.code).toBe("validation.range");
  });

  it("checks what the backend checks, as it is typed", () => {
    expect(actionIssues(newAction("email", key()))).toEqual({ template: { code: "validation.required" } });
    expect(actionIssues({ ...newAction("sms", key()), text: "iki\nsatır" }).text?.code).toBe(
      "validation.control_chars",
    );
    expect(actionIssues({ ...newAction("sms", key()), text: "x".repeat(1601) }).text?.code).toBe(
      "validation.too_long",
    );
    const wa = { ...newAction("whatsapp", key()), template: "Toplantı Hatırlatma", language: "türkçe", before: "x" };
    const issues = actionIssues({ ...wa, beforeBad: true });
    expect(issues.template?.code).toBe("whatsapp.template_name");
    expect(issues.language?.code).toBe("whatsapp.language");
    expect(issues.before?.code).toBe("validation.range");
    expect(actionIssues({ ...newAction("sheetRow", key()) })).toEqual({});

    const empty = ruleIssues({ name: " ", event: "order.shipped", actions: [] });
    expect(empty.name?.code).toBe("validation.required");
    expect(empty.event?.code).toBe("validation.choice");
    expect(empty.actions?.code).toBe("validation.required");
    expect(hasIssues(empty)).toBe(true);
    expect(hasIssues(ruleIssues(ruleForm(seed(2), key)))).toBe(false);
  });

  it("puts a save's error under the field it names", () => {
    const form = ruleForm(seed(1), key);
    expect(serverTarget(form, "name")).toEqual({ where: "name" });
    expect(serverTarget(form, "type")).toEqual({ where: "event" });
    expect(serverTarget(form, "actions")).toEqual({ where: "actions" });
    expect(serverTarget(form, "text")).toEqual({ where: "action", index: 0, field: "text" });
    // The backend checks in order: the first action it would refuse.
    const quoteEmail = form.actions[1] as ActionForm;
    const two = { ...form, actions: [quoteEmail, { ...quoteEmail, key: key(), template: "" }] };
    expect(serverTarget(two, "template")).toEqual({ where: "action", index: 1, field: "template" });
    expect(serverTarget(form, "template")).toEqual({ where: "action", index: 1, field: "template" });
    expect(serverTarget(form, "language")).toBeNull();
    expect(serverTarget(form, null)).toBeNull();
    expect(serverError({ code: "validation.too_long", field: "name" }, { where: "name" }).params).toEqual({ max: 120 });
  });
});
