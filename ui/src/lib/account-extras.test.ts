import { describe, expect, it } from "vitest";
import {
  extrasErrorField,
  extrasForm,
  normalizeSignature,
  SIGNATURE_MAX,
  signatureCounter,
  toExtrasInput,
  validateExtras,
  validateReplyTo,
  validateSignature,
} from "./account-extras";
import { describeError } from "./i18n";

describe("the signature counter", () => {
  it("counts characters as the backend keeps them, out of 2000", () => {
    expect(SIGNATURE_MAX).toBe(2000);
    expect(signatureCounter("")).toEqual({ count: 0, max: 2000, over: false });
    // Blank lines and spaces around it are not kept; CRLF counts as one line break.
    expect(signatureCounter("\n  Ayşe\r\nÖztürk Gıda  \n\n").count).toBe(16);
    // Code points, not UTF-16 units: an emoji is one character.
    expect(signatureCounter("👋 Ayşe").count).toBe(6);
  });

  it("is over only past the limit", () => {
    expect(signatureCounter("ş".repeat(2000))).toEqual({ count: 2000, max: 2000, over: false });
    expect(signatureCounter("ş".repeat(2001))).toEqual({ count: 2001, max: 2000, over: true });
    // Surrounding blank lines do not count toward it.
    expect(signatureCounter(`\n\n${"a".repeat(2000)}\n  `).over).toBe(false);
  });
});

describe("validateSignature", () => {
  it("is optional and allows line breaks and tabs", () => {
    expect(validateSignature("")).toBeNull();
    expect(validateSignature("Ayşe Yılmaz\nSatış\tÖztürk Gıda\r\n0532 123 45 67")).toBeNull();
  });

  it("refuses more than 2000 characters, with the max for the hint", () => {
    expect(validateSignature("a".repeat(2001))).toEqual({
      code: "validation.too_long",
      params: { max: 2000 },
    });
    const text = describeError("tr", { code: "validation.too_long", field: "signature" });
    expect(text.hint).toBe("En fazla 2000 karakter olacak şekilde kısaltın.");
  });

  it("refuses other control characters, a lone CR too", () => {
    expect(validateSignature("Ayşe\u0007")).toEqual({ code: "validation.control_chars" });
    expect(validateSignature("Ayşe\rYılmaz")).toEqual({ code: "validation.control_chars" });
    expect(validateSignature("Ayşe\u0085")).toEqual({ code: "validation.control_chars" });
  });
});

describe("validateReplyTo", () => {
  it("is optional, and an address when given", () => {
    expect(validateReplyTo("")).toBeNull();
    expect(validateReplyTo("  ")).toBeNull();
    expect(validateReplyTo(" satis@firma.com.tr ")).toBeNull();
    expect(validateReplyTo("satış@örnek.com.tr")).toBeNull();
    expect(validateReplyTo("satis@")).toEqual({ code: "validation.email" });
    expect(validateReplyTo("a@b.c\n")).toEqual({ code: "validation.control_chars" });
  });
});

describe("the extras form", () => {
  const stored = { replyTo: "satis@firma.com.tr", signature: "Ayşe\nÖztürk Gıda" };

  it("starts from the stored values (none: empty)", () => {
    expect(extrasForm(stored)).toEqual(stored);
    expect(extrasForm({ replyTo: null, signature: null })).toEqual({ replyTo: "", signature: "" });
  });

  it("gives an issue per field", () => {
    expect(validateExtras({ replyTo: "", signature: "" })).toEqual({});
    expect(validateExtras({ replyTo: "x", signature: "a".repeat(2001) })).toEqual({
      replyTo: { code: "validation.email" },
      signature: { code: "validation.too_long", params: { max: 2000 } },
    });
  });

  it("sends the address trimmed and the signature as the backend keeps it", () => {
    expect(normalizeSignature("\r\n Ayşe\r\nÖztürk Gıda \n")).toBe("Ayşe\nÖztürk Gıda");
    expect(toExtrasInput({ replyTo: " satis@firma.com.tr ", signature: "\n\nAyşe\n" })).toEqual({
      replyTo: "satis@firma.com.tr",
      signature: "Ayşe",
    });
  });

  it("finds the field a backend error is about", () => {
    const err = (field: string | null, fields?: string[]) => ({
      code: "validation.email" as const,
      message: "",
      hint: null,
      field,
      fields,
    });
    expect(extrasErrorField(err("replyTo"))).toBe("replyTo");
    expect(extrasErrorField(err("signature", ["signature"]))).toBe("signature");
    expect(extrasErrorField(err(null, ["replyTo"]))).toBe("replyTo");
    expect(extrasErrorField(err(null))).toBeNull();
    expect(extrasErrorField(err("email"))).toBeNull();
  });
});
