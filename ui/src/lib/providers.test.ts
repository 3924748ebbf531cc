import { describe, expect, it } from "vitest";
import { LIMITS } from "./bindings";
import {
  SPECS,
  RATE_RANGE,
  emptyValues,
  fieldId,
  parseRate,
  rowsOf,
  specFor,
  validateField,
  validateRate,
  validateSpec,
  validateUrl,
  type Spec,
  type SpecField,
} from "./providers";

/** A spec as a future HTTP provider's would be, to test kinds SMTP does not use. */
const api: Spec = {
  channel: "sms",
  provider: "test-api",
  name: { tr: "Deneme", en: "Trial" },
  summary: { tr: "Deneme", en: "Trial" },
  baseUrl: "https://api.example.com",
  helpUrl: null,
  test: { kind: "http", method: "GET", path: "/v1/me", status: 200 },
  ratePerSecond: 5,
  fields: [
    {
      key: "accountId",
      kind: "text",
      required: "always",
      maxLength: LIMITS.providerId,
      label: { tr: "Hesap", en: "Account" },
      help: { tr: "", en: "" },
      helpEdit: null,
      options: [],
      row: null,
      autocomplete: null,
      flag: "account-id",
    },
    {
      key: "token",
      kind: "secret",
      required: "on_create",
      maxLength: 10,
      label: { tr: "Anahtar", en: "Key" },
      help: { tr: "", en: "" },
      helpEdit: null,
      options: [],
      row: null,
      autocomplete: null,
      flag: "token",
    },
    {
      key: "sender",
      kind: "phone",
      required: "never",
      maxLength: LIMITS.phone,
      label: { tr: "Numara", en: "Number" },
      help: { tr: "", en: "" },
      helpEdit: null,
      options: [],
      row: "a",
      autocomplete: null,
      flag: "sender",
    },
    {
      key: "baseUrl",
      kind: "url",
      required: "never",
      maxLength: LIMITS.url,
      label: { tr: "Adres", en: "URL" },
      help: { tr: "", en: "" },
      helpEdit: null,
      options: [],
      row: "a",
      autocomplete: null,
      flag: "base-url",
    },
  ],
};

const field = (spec: Spec, key: string): SpecField => {
  const f = spec.fields.find((x) => x.key === key);
  if (!f) throw new Error(key);
  return f;
};

describe("provider specs", () => {
  it("come from Rust: every channel's sandbox and the SMTP provider", () => {
    expect(specFor("email", "sandbox").fields).toEqual([]);
    expect(specFor("sms", "sandbox").fields).toEqual([]);
    const smtp = specFor("email", "smtp");
    expect(smtp.test).toEqual({ kind: "smtp_steps" });
    expect(field(smtp, "host").maxLength).toBe(LIMITS.host);
    expect(() => specFor("sms", "nope")).toThrow();
    for (const spec of SPECS) {
      expect(spec.name.tr, spec.provider).not.toBe("");
      for (const f of spec.fields) {
        expect(f.label.tr && f.label.en, `${spec.provider}.${f.key}`).toBeTruthy();
        if (f.kind === "choice") expect(f.options.length).toBeGreaterThan(0);
      }
    }
  });

  it("names inputs after their keys and groups rows", () => {
    expect(fieldId("smtp", "senderName")).toBe("smtp-sender-name");
    expect(fieldId("sms-api", "baseUrl")).toBe("sms-api-base-url");
    expect(rowsOf(api).map((r) => r.map((f) => f.key))).toEqual([
      ["accountId"],
      ["token"],
      ["sender", "baseUrl"],
    ]);
    const smtpRows = rowsOf(specFor("email", "smtp")).map((r) => r.length);
    expect(smtpRows).toContain(2);
    expect(emptyValues(api)).toEqual({ accountId: "", token: "", sender: "", baseUrl: "" });
  });

  it("check each kind as the backend does", () => {
    const ctx = { creating: true };
    expect(validateField(field(api, "accountId"), " ", ctx)).toEqual({ code: "validation.required" });
    expect(validateField(field(api, "accountId"), "AC\nx", ctx)).toEqual({
      code: "validation.control_chars",
    });
    expect(validateField(field(api, "accountId"), "x".repeat(LIMITS.providerId + 1), ctx)).toEqual({
      code: "validation.too_long",
      params: { max: LIMITS.providerId },
    });
    expect(validateField(field(api, "token"), "x".repeat(11), ctx)).toEqual({
      code: "validation.too_long",
      params: { max: 10 },
    });
    expect(validateField(field(api, "token"), "", { creating: false })).toBeNull();
    expect(validateField(field(api, "sender"), "", ctx)).toBeNull();
    expect(validateField(field(api, "sender"), "0532 123 45 67", ctx)).toBeNull();
    expect(validateField(field(api, "sender"), "merhaba", ctx)).toEqual({ code: "validation.phone" });
    const security = field(specFor("email", "smtp"), "security");
    expect(validateField(security, "tls", ctx)).toBeNull();
    expect(validateField(security, "ssl", ctx)).toEqual({ code: "validation.choice" });
    expect(validateField(security, "", ctx)).toEqual({ code: "validation.required" });
  });

  it("take https base URLs, and http only to this computer", () => {
    for (const ok of ["https://api.twilio.com", "http://127.0.0.1:8025/v1", "http://localhost:9", "http://[::1]:80"]) {
      expect(validateUrl(ok, LIMITS.url), ok).toBeNull();
    }
    for (const bad of ["http://api.twilio.com", "ftp://x.com", "api.twilio.com", "https://u:p@x.com", "https://x.com/?q=1"]) {
      expect(validateUrl(bad, LIMITS.url), bad).toEqual({ code: "validation.url" });
    }
  });

  it("take a pace of whole messages a second within the backend's range; empty keeps it", () => {
    expect(RATE_RANGE).toEqual({ min: 1, max: LIMITS.ratePerSecond });
    expect(fieldId("int-sms-twilio", "ratePerSecond")).toBe("int-sms-twilio-rate-per-second");
    const range = { code: "validation.range", params: { min: 1, max: LIMITS.ratePerSecond } };
    for (const ok of ["1", " 4 ", "80", String(LIMITS.ratePerSecond)]) {
      expect(validateRate(ok), ok).toBeNull();
    }
    expect(parseRate(" 4 ")).toBe(4);
    expect(parseRate(String(LIMITS.ratePerSecond))).toBe(LIMITS.ratePerSecond);
    expect(validateRate("")).toBeNull();
    expect(validateRate("  ")).toBeNull();
    expect(parseRate("")).toBeNull();
    const tooBig = [String(LIMITS.ratePerSecond + 1), "99999999999999999999"];
    for (const bad of ["0", "-1", "2.5", "1e2", "abc", "4 5", ...tooBig]) {
      expect(validateRate(bad), bad).toEqual(range);
      expect(parseRate(bad), bad).toBeNull();
    }
    // The browser could not read the number input (it then reports "").
    expect(validateRate("", true)).toEqual(range);
  });

  it("list missing fields in the spec's order; a wrong value is not missing", () => {
    const v = validateSpec(api, { accountId: "", token: "", sender: "abc", baseUrl: "" }, { creating: true });
    expect(v.missing).toEqual(["accountId", "token"]);
    expect(v.issues.sender).toEqual({ code: "validation.phone" });
    expect(validateSpec(api, { accountId: "AC1", token: "k", sender: "", baseUrl: "" }, { creating: true })).toEqual({
      issues: {},
      missing: [],
    });
  });
});
