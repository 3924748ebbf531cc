import { describe, expect, it } from "vitest";
import {
  charCount,
  hasControlChars,
  isPlausibleEmail,
  PASSPHRASE_MIN,
  validateDisplayName,
  validateEmail,
  validatePassphrase,
  validatePassphraseConfirm,
  validateProfile,
  validateSenderEmail,
  validateSenderName,
  validateText,
  validateWorkspaceName,
} from "./validation";

describe("validateEmail", () => {
  it("accepts common, plus-addressed and IDN addresses", () => {
    for (const ok of [
      "ali@firma.com",
      "a.b+c@sub.firma.com.tr",
      "satış@örnek.com.tr",
      "ÇAĞRI@ÖRNEK.COM.TR",
      "info@xn--rnek-4qa.com.tr",
      "  ayse@firma.com  ",
    ]) {
      expect(validateEmail(ok, { required: true }), ok).toBeNull();
    }
  });

  it("rejects malformed addresses", () => {
    for (const bad of [
      "ali",
      "ali@",
      "@firma.com",
      "ali@firma",
      "ali firma@x.com",
      "a@@b.com",
      ".a@b.com",
      "a.@b.com",
      "a..b@c.com",
      "a@-firma.com",
      "a@firma-.com",
      "a@firma..com",
      "a@firma.c",
      "a@firma.123",
      '"ali"@firma.com',
      "ali@[127.0.0.1]",
    ]) {
      expect(validateEmail(bad, { required: true }), bad).toEqual({ code: "validation.email" });
    }
  });

  it("refuses CR/LF (header injection) before anything else", () => {
    expect(validateEmail("ali@firma.com\r\nBcc: x@y.com", { required: true })).toEqual({
      code: "validation.control_chars",
    });
    expect(validateEmail("ali@firma.com\n", { required: true })).toEqual({
      code: "validation.control_chars",
    });
  });

  it("required vs optional, and the 254 limit", () => {
    expect(validateEmail("", { required: true })).toEqual({ code: "validation.required" });
    expect(validateEmail("   ", { required: true })).toEqual({ code: "validation.required" });
    expect(validateEmail("", { required: false })).toBeNull();
    const long = `${"a".repeat(60)}@${["b", "c", "d", "e"].map((c) => c.repeat(60)).join(".")}.com`;
    expect(charCount(long)).toBeGreaterThan(254);
    expect(validateSenderEmail(long)).toEqual({ code: "validation.too_long", params: { max: 254 } });
  });

  it("isPlausibleEmail is the bare shape check", () => {
    expect(isPlausibleEmail("satış@örnek.com.tr")).toBe(true);
    expect(isPlausibleEmail("satış@örnek")).toBe(false);
  });
});

describe("validateText", () => {
  it("counts characters, not bytes", () => {
    expect(validateText("ğüşıö", { max: 5, required: true })).toBeNull();
    expect(validateText("ğüşıöç", { max: 5, required: true })).toEqual({
      code: "validation.too_long",
      params: { max: 5 },
    });
    expect(charCount("👍🏽")).toBe(2);
  });

  it("trims before the required and length checks", () => {
    expect(validateText("   ", { max: 10, required: true })).toEqual({ code: "validation.required" });
    expect(validateText("  abc  ", { max: 3, required: true })).toBeNull();
    expect(validateText("", { max: 10, required: false })).toBeNull();
  });

  it("refuses tabs, CR, LF and other control characters", () => {
    for (const bad of ["a\tb", "a\nb", "a\rb", "Ali\r\n", "a\u0000b", "a\u007fb", "a\u0085b"]) {
      expect(hasControlChars(bad), JSON.stringify(bad)).toBe(true);
      expect(validateText(bad, { max: 10, required: false })).toEqual({
        code: "validation.control_chars",
      });
    }
    expect(hasControlChars("Çağrı Öztürk")).toBe(false);
  });
});

describe("profile fields", () => {
  it("flags each invalid field", () => {
    const issues = validateProfile({
      displayName: "",
      senderEmail: "x@",
      senderName: "a".repeat(101),
    });
    expect(issues.displayName).toEqual({ code: "validation.required" });
    expect(issues.senderEmail).toEqual({ code: "validation.email" });
    expect(issues.senderName).toEqual({ code: "validation.too_long", params: { max: 100 } });
  });

  it("passes a valid profile, sender name optional", () => {
    expect(
      validateProfile({ displayName: "Çağrı", senderEmail: "cagri@örnek.com.tr", senderName: "" }),
    ).toEqual({});
  });

  it("applies the limits of the backend", () => {
    expect(validateDisplayName("a".repeat(100))).toBeNull();
    expect(validateDisplayName("a".repeat(101))?.code).toBe("validation.too_long");
    expect(validateSenderName("Satış Ekibi\nBcc: x@y.com")?.code).toBe("validation.control_chars");
    expect(validateWorkspaceName("")?.code).toBe("validation.required");
    expect(validateWorkspaceName("İstanbul Satış")).toBeNull();
    expect(validateWorkspaceName("a".repeat(101))).toEqual({
      code: "validation.too_long",
      params: { max: 100 },
    });
  });
});

describe("passphrase", () => {
  it("creating needs the minimum length, unlocking only something", () => {
    expect(PASSPHRASE_MIN).toBe(8);
    expect(validatePassphrase("kısa", "create")).toEqual({
      code: "store.passphrase_too_short",
      params: { min: 8 },
    });
    expect(validatePassphrase("1234567", "create")?.code).toBe("store.passphrase_too_short");
    expect(validatePassphrase("12345678", "create")).toBeNull();
    expect(validatePassphrase("kısa", "unlock")).toBeNull();
    expect(validatePassphrase("", "unlock")).toEqual({ code: "validation.required" });
  });

  it("the confirmation must match", () => {
    expect(validatePassphraseConfirm("yeterince uzun", "")).toEqual({ code: "validation.required" });
    expect(validatePassphraseConfirm("yeterince uzun", "başka")).toEqual({
      code: "validation.passphrase_mismatch",
    });
    expect(validatePassphraseConfirm("yeterince uzun", "yeterince uzun")).toBeNull();
  });
});
