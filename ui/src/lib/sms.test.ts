import { describe, expect, it } from "vitest";
import {
  SMS_TEXT_MAX,
  smsParts,
  smsProvider,
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
      toSmsInput(
        { provider: "", company: "7", to: " 0532 123 45 67 ", text: " Merhaba\r\n ", purpose: "" },
        "k1",
      ),
    ).toEqual({
      accountId: null,
      companyId: 7,
      to: "0532 123 45 67",
      text: "Merhaba",
      idempotencyKey: "k1",
      purpose: null,
    });
  });

  it("sends the purpose chosen for İYS, none when the user said nothing", () => {
    const form = { provider: "netgsm", company: "", to: "0532 123 45 67", text: "Merhaba", purpose: "" as const };
    expect(toSmsInput(form, "k").purpose).toBeNull();
    expect(toSmsInput({ ...form, purpose: "commercial" }, "k").purpose).toBe("commercial");
    expect(toSmsInput({ ...form, purpose: "informational" }, "k").purpose).toBe("informational");
    expect(toSmsBulkInput({ ...form, purpose: "commercial" }, ["0532 123 45 67"], "k").purpose).toBe(
      "commercial",
    );
    expect(toSmsBulkInput(form, ["0532 123 45 67"], "k").purpose).toBeNull();
  });

  it("never names an account: a provider goes beside the input, null for the test box", () => {
    const form = { provider: "twilio", company: "", to: "0532 123 45 67", text: "Merhaba", purpose: "" as const };
    expect(toSmsInput(form, "k2").accountId).toBeNull();
    expect(smsProvider(form)).toBe("twilio");
    expect(smsProvider({ ...form, provider: "" })).toBeNull();
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
    const form = {
      provider: "netgsm",
      company: "7",
      to: "ignored",
      text: " Merhaba\r\nIşıl Hanım ",
      purpose: "informational" as const,
    };
    expect(toSmsBulkInput(form, [" 0532 123 45 67 ", "", "+905337654321"], "k")).toEqual({
      companyId: 7,
      to: ["0532 123 45 67", "+905337654321"],
      text: "Merhaba\nIşıl Hanım",
      idempotencyKey: "k",
      purpose: "informational",
    });
    expect(toSmsBulkInput({ ...form, company: "" }, ["0532 123 45 67"], "k2").companyId).toBeNull();
  });
});
