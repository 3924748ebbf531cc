import { describe, expect, it } from "vitest";
import { SMS_TEXT_MAX, smsParts, smsProvider, toSmsInput, validateSms, validateSmsText } from "./sms";

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
