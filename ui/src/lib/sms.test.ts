import { describe, expect, it } from "vitest";
import {
  SMS_TEXT_MAX,
  badNumberOf,
  bulkRecipients,
  checkNumbers,
  lineOf,
  phoneKey,
  smsParts,
  smsProvider,
  splitNumbers,
  toSmsBulkInput,
  toSmsInput,
  validateSms,
  validateSmsBulk,
  validateSmsText,
} from "./sms";

describe("validateSms", () => {
  it("asks for a number and a text, and refuses a number that is not one", () => {
    expect(validateSms({ provider: "", company: "", to: "", text: "" })).toEqual({
      to: { code: "validation.required" },
      text: { code: "validation.required" },
    });
    expect(validateSms({ provider: "", company: "", to: "12", text: "x" }).to?.code).toBe(
      "validation.phone",
    );
    expect(validateSms({ provider: "", company: "", to: "0532 123 45 67", text: "Merhaba" })).toEqual({});
  });

  it("keeps line breaks but refuses tabs and over-long texts", () => {
    expect(validateSmsText("satır 1\r\nsatır 2")).toBeNull();
    expect(validateSmsText("a\tb")?.code).toBe("validation.control_chars");
    expect(validateSmsText("ş".repeat(SMS_TEXT_MAX + 1))).toEqual({
      code: "validation.too_long",
      params: { max: SMS_TEXT_MAX },
    });
  });
});

describe("smsParts", () => {
  it("counts GSM-7 texts 160 a part and Turkish letters as UCS-2, 70 a part", () => {
    expect(smsParts("")).toEqual({ parts: 0, unicode: false, units: 0 });
    expect(smsParts("a".repeat(160)).parts).toBe(1);
    expect(smsParts("a".repeat(161)).parts).toBe(2);
    expect(smsParts("€").units).toBe(2);
    expect(smsParts("Işıl").unicode).toBe(true);
    expect(smsParts("ş".repeat(70)).parts).toBe(1);
    expect(smsParts("ş".repeat(71)).parts).toBe(2);
  });
});

describe("toSmsInput", () => {
  it("sends the sandbox as no account, the company as a number, the text trimmed", () => {
    expect(
      toSmsInput({ provider: "", company: "7", to: " 0532 123 45 67 ", text: " Merhaba\r\n " }, "k1"),
    ).toEqual({ accountId: null, companyId: 7, to: "0532 123 45 67", text: "Merhaba", idempotencyKey: "k1" });
  });

  it("never names an account: a provider goes beside the input, null for the test box", () => {
    const form = { provider: "twilio", company: "", to: "0532 123 45 67", text: "Merhaba" };
    expect(toSmsInput(form, "k2").accountId).toBeNull();
    expect(smsProvider(form)).toBe("twilio");
    expect(smsProvider({ ...form, provider: "" })).toBeNull();
  });
});

describe("splitNumbers", () => {
  it("takes one number a line, or several split by commas and semicolons, with their line", () => {
    expect(splitNumbers("0532 123 45 67\r\n\n +90 533 765 43 21 ; 0212 555 12 12,\n,;\n12")).toEqual([
      { line: 1, value: "0532 123 45 67" },
      { line: 3, value: "+90 533 765 43 21" },
      { line: 3, value: "0212 555 12 12" },
      { line: 5, value: "12" },
    ]);
    expect(splitNumbers("")).toEqual([]);
    expect(splitNumbers(" \n\t\n")).toEqual([]);
  });
});

describe("checkNumbers", () => {
  it("keeps the good numbers and names each bad one by its line and value", () => {
    const checked = checkNumbers("0532 123 45 67\nabc, +90 533 765 43 21\n\n12");
    expect(checked.numbers).toEqual(["0532 123 45 67", "+90 533 765 43 21"]);
    expect(checked.bad).toEqual([
      { line: 2, value: "abc", issue: { code: "validation.phone" } },
      { line: 4, value: "12", issue: { code: "validation.phone" } },
    ]);
  });

  it("finds nothing wrong in an empty box", () => {
    expect(checkNumbers("\n  \n")).toEqual({ numbers: [], bad: [] });
  });
});

describe("phoneKey and bulkRecipients", () => {
  it("reads the Turkish spellings of a number as the same number", () => {
    const key = "+905321234567";
    expect(phoneKey("0532 123 45 67")).toBe(key);
    expect(phoneKey("+90 (532) 123-45-67")).toBe(key);
    expect(phoneKey("0090 532 123 45 67")).toBe(key);
    expect(phoneKey("532 123 45 67")).toBe(key);
    expect(phoneKey("+44 20 7946 0958")).toBe("+442079460958");
    expect(phoneKey("0533 123 45 67")).not.toBe(key);
  });

  it("lists the contacts first, then the pasted numbers, each number once, blanks skipped", () => {
    expect(
      bulkRecipients(
        ["+905321234567", " ", "+905337654321"],
        ["0532 123 45 67", "0212 555 12 12", "0212 555 1212", " +90 533 765 43 21 "],
      ),
    ).toEqual(["+905321234567", "+905337654321", "0212 555 12 12"]);
    expect(bulkRecipients([], [])).toEqual([]);
  });
});

describe("validateSmsBulk", () => {
  it("asks for a recipient and a text", () => {
    expect(validateSmsBulk([], 0, " ")).toEqual({
      to: { code: "validation.required" },
      text: { code: "validation.required" },
    });
    expect(validateSmsBulk(["0532 123 45 67"], 0, "Merhaba")).toEqual({});
  });

  it("refuses to send while a pasted line is not a number, even with good ones beside it", () => {
    expect(validateSmsBulk(["0532 123 45 67"], 1, "Merhaba")).toEqual({ to: { code: "validation.phone" } });
    expect(validateSmsBulk([], 2, "Merhaba").to?.code).toBe("validation.phone");
  });
});

describe("toSmsBulkInput", () => {
  it("sends the company as a number, the numbers trimmed, the text as the single SMS sends it", () => {
    const form = { provider: "netgsm", company: "7", to: "ignored", text: " Merhaba\r\nIşıl Hanım " };
    expect(toSmsBulkInput(form, [" 0532 123 45 67 ", "", "+905337654321"], "k")).toEqual({
      companyId: 7,
      to: ["0532 123 45 67", "+905337654321"],
      text: "Merhaba\nIşıl Hanım",
      idempotencyKey: "k",
    });
    expect(toSmsBulkInput({ ...form, company: "" }, ["0532 123 45 67"], "k2").companyId).toBeNull();
  });
});

describe("badNumberOf and lineOf", () => {
  it("names the number a backend phone error is about: its detail, else the quoted value", () => {
    const err = { code: "validation.phone" as const, message: '"0532 12" is not a phone number', detail: null };
    expect(badNumberOf(err)).toBe("0532 12");
    expect(badNumberOf({ ...err, detail: "0533 99" })).toBe("0533 99");
    expect(badNumberOf({ ...err, message: "something else" })).toBeNull();
    expect(badNumberOf({ ...err, code: "validation.required" })).toBeNull();
  });

  it("finds the pasted line that holds a value", () => {
    const text = "0532 123 45 67\n\n0212 555 12 12; 0532 12";
    expect(lineOf(text, " 0532 12 ")).toBe(3);
    expect(lineOf(text, "0532 123 45 67")).toBe(1);
    expect(lineOf(text, "0533")).toBeNull();
  });
});
