import { describe, expect, it } from "vitest";
import { SMTP_SPEC, isSmtpField, toAccountInput, validateAccount, type AccountForm } from "./smtp";
import { validateField } from "./providers";
import {
  isLoopbackHost,
  isUnencryptedLocal,
  parsePort,
  validateHost,
  validatePort,
  validateSecurity,
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
  validateCompanyName,
  validatePhone,
  validateContact,
  isContactField,
  toContactInput,
} from "./validation";
import type { ContactInput } from "./bindings";

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

describe("SMTP account fields", () => {
  const form = (over: Partial<AccountForm> = {}): AccountForm => ({
    email: "ali@firma.com.tr",
    senderName: "Ali Yılmaz",
    host: "smtp.firma.com.tr",
    port: "587",
    security: "starttls",
    username: "ali@firma.com.tr",
    password: "gizli",
    ...over,
  });

  it("port: 587 and 465 are fine; 0, 65536, 70000, abc, 5.5 and browser bad input are not", () => {
    expect(validatePort("587")).toBeNull();
    expect(validatePort(" 465 ")).toBeNull();
    expect(validatePort("65535")).toBeNull();
    expect(validatePort("1")).toBeNull();
    for (const bad of ["0", "65536", "70000", "abc", "5.5", "-1", "1e3", "587a", "9999999"]) {
      expect(validatePort(bad), bad).toEqual({ code: "smtp.bad_port" });
    }
    expect(validatePort("")).toEqual({ code: "validation.required" });
    // type=number reports "" for "abc": that is not "missing".
    expect(validatePort("", true)).toEqual({ code: "smtp.bad_port" });
    expect(validatePort("587\n")).toEqual({ code: "validation.control_chars" });
    expect(parsePort("587")).toBe(587);
    expect(parsePort("0")).toBeNull();
  });

  it("host: names, IDN and IPs are fine; spaces, empty labels and edge hyphens are not", () => {
    for (const ok of [
      "smtp.firma.com",
      " SMTP.Firma.COM ",
      "posta.şirket.com.tr",
      "localhost",
      "127.0.0.1",
      "::1",
      "[::1]",
      "mail-1.firma.com",
    ]) {
      expect(validateHost(ok), ok).toBeNull();
    }
    for (const bad of ["smtp firma.com", "smtp..com", "-smtp.com", "smtp-.com", "smtp.com/x", "a@b.com"]) {
      expect(validateHost(bad), bad).toEqual({ code: "smtp.bad_host" });
    }
    expect(validateHost("")).toEqual({ code: "validation.required" });
    expect(validateHost("smtp.com\r\nRCPT")).toEqual({ code: "validation.control_chars" });
    expect(validateHost("a".repeat(254))).toEqual({
      code: "validation.too_long",
      params: { max: 253 },
    });
  });

  it("security none: only towards this machine", () => {
    expect(validateSecurity("none", "smtp.firma.com")).toEqual({ code: "smtp.insecure_remote" });
    expect(validateSecurity("none", "10.0.0.5")).toEqual({ code: "smtp.insecure_remote" });
    expect(validateSecurity("none", "localhostx.com")).toEqual({ code: "smtp.insecure_remote" });
    for (const local of ["localhost", "LOCALHOST.", "relay.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1"]) {
      expect(validateSecurity("none", local), local).toBeNull();
      expect(isLoopbackHost(local), local).toBe(true);
    }
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
    expect(isLoopbackHost("127.0.0.01")).toBe(false);
    expect(validateSecurity("starttls", "smtp.firma.com")).toBeNull();
    expect(validateSecurity("", "smtp.firma.com")).toEqual({ code: "validation.required" });
    // An invalid host is reported on the host, not twice.
    expect(validateSecurity("none", "smtp firma")).toBeNull();
    expect(isUnencryptedLocal({ security: "none", host: "localhost" })).toBe(true);
    expect(isUnencryptedLocal({ security: "tls", host: "localhost" })).toBe(false);
    expect(isUnencryptedLocal({ security: "none", host: "smtp.firma.com" })).toBe(false);
  });

  it("password: required when creating, empty keeps it when editing, never CR/LF", () => {
    const field = (key: string) => {
      const f = SMTP_SPEC.fields.find((x) => x.key === key);
      if (!f) throw new Error(key);
      return f;
    };
    const password = field("password");
    expect(password.kind).toBe("secret");
    expect(validateField(password, "", { creating: true })).toEqual({ code: "validation.required" });
    expect(validateField(password, "", { creating: false })).toBeNull();
    expect(validateField(password, "  ", { creating: true })).toBeNull();
    expect(validateField(password, "a\r\nb", { creating: false })).toEqual({
      code: "validation.control_chars",
    });
    expect(validateField(field("username"), "", { creating: false })).toEqual({
      code: "validation.required",
    });
  });

  it("a complete form is valid; the missing list names every empty required field in order", () => {
    expect(validateAccount(form(), { creating: true })).toEqual({ issues: {}, missing: [] });
    const empty = form({ host: "", port: "", security: "", username: "", password: "" });
    const { issues, missing } = validateAccount(empty, { creating: true });
    expect(missing).toEqual(["host", "port", "security", "username", "password"]);
    expect(issues.host).toEqual({ code: "validation.required" });
    expect(validateAccount(empty, { creating: false }).missing).toEqual([
      "host",
      "port",
      "security",
      "username",
    ]);
    // A wrong value is an issue but not "missing".
    const wrong = validateAccount(form({ port: "70000", email: "" }), { creating: true });
    expect(wrong.missing).toEqual(["email"]);
    expect(wrong.issues.port).toEqual({ code: "smtp.bad_port" });
    expect(validateAccount(form({ port: "" }), { creating: true, portBadInput: true }).missing).toEqual([]);
    expect(validateAccount(form({ senderName: "x\ny" }), { creating: true }).issues.senderName).toEqual({
      code: "validation.control_chars",
    });
  });

  it("builds the backend input: port as a number, empty password as null", () => {
    expect(toAccountInput(form({ port: " 465 ", password: "", host: " smtp.x.com " }))).toEqual({
      email: "ali@firma.com.tr",
      senderName: "Ali Yılmaz",
      host: "smtp.x.com",
      port: 465,
      security: "starttls",
      username: "ali@firma.com.tr",
      password: null,
      noAuth: false,
    });
    expect(toAccountInput(form({ port: "", security: "" })).port).toBeNull();
    // The sending limits: waits typed in seconds go in milliseconds, and whether it sends.
    const limits = { dailyLimit: "50", rampUp: "", minWait: "0,5", jitter: "2", active: false };
    expect(toAccountInput(form(), limits)).toMatchObject({
      limits: { daily: 50, minWaitMs: 500, jitterMs: 2000, rampUp: null },
      active: false,
    });
    expect(toAccountInput(form(), { ...limits, dailyLimit: "", active: true })).toMatchObject({
      limits: { daily: null },
      active: true,
    });
    expect(toAccountInput(form(), { ...limits, minWait: "yarım" }).limits).toBeNull();
    expect("limits" in toAccountInput(form())).toBe(false);
    expect(toAccountInput(form({ security: "" })).security).toBeNull();
    expect(isSmtpField("host")).toBe(true);
    expect(isSmtpField("senderEmail")).toBe(false);
    expect(isSmtpField(null)).toBe(false);
  });
});

describe("companies and contacts", () => {
  const contact = (over: Partial<ContactInput> = {}): ContactInput => ({
    name: "Ayşe Yılmaz",
    email: "ayse@firma.com.tr",
    phone: "",
    notes: "",
    ...over,
  });

  it("company name: required, at most 200 characters, one line", () => {
    expect(validateCompanyName("Öztürk İnşaat A.Ş.")).toBeNull();
    expect(validateCompanyName("  ")).toEqual({ code: "validation.required" });
    expect(validateCompanyName("ş".repeat(200))).toBeNull();
    expect(validateCompanyName("ş".repeat(201))).toEqual({
      code: "validation.too_long",
      params: { max: 200 },
    });
    expect(validateCompanyName("A\nB")).toEqual({ code: "validation.control_chars" });
  });

  it("phone: Turkish and international numbers pass, words and short numbers do not", () => {
    for (const ok of ["0532 123 45 67", "+90 (532) 123-4567", "+49 30 901820", "(0212) 555 12 12", "5321234567", ""]) {
      expect(validatePhone(ok), ok).toBeNull();
    }
    for (const bad of ["12", "telefon yok", "0532\\n1234567", "+90 532 +123", "0532-ABC", "1".repeat(18)]) {
      expect(validatePhone(bad), bad).toEqual({ code: "validation.phone" });
    }
    expect(validatePhone("0532\r\n1234567")).toEqual({ code: "validation.control_chars" });
    expect(validatePhone("1 ".repeat(21))).toEqual({ code: "validation.too_long", params: { max: 40 } });
  });

  it("contact: a name, and an e-mail or a phone", () => {
    expect(validateContact(contact())).toEqual({});
    expect(validateContact(contact({ email: "", phone: "0532 123 45 67" }))).toEqual({});
    expect(validateContact(contact({ name: "" })).name).toEqual({ code: "validation.required" });
    const unreachable = validateContact(contact({ email: " ", phone: "" }));
    expect(unreachable.email).toEqual({ code: "validation.email_or_phone" });
    expect(unreachable.phone).toEqual({ code: "validation.email_or_phone" });
    const wrong = validateContact(contact({ email: "ayse@", phone: "12" }));
    expect(wrong.email).toEqual({ code: "validation.email" });
    expect(wrong.phone).toEqual({ code: "validation.phone" });
    expect(isContactField("phone")).toBe(true);
    expect(isContactField("company")).toBe(false);
    expect(isContactField(null)).toBe(false);
  });

  it("builds the backend input, trimming single-line fields", () => {
    expect(
      toContactInput({ name: " Ali ", email: " ali@x.com ", phone: " 0532 123 45 67 ", notes: " not\n" }),
    ).toEqual({
      name: "Ali",
      email: "ali@x.com",
      phone: "0532 123 45 67",
      notes: " not\n",
      recipientType: "TACIR",
    });
  });

  it("sends the İYS recipient type chosen, a merchant (TACIR) when none was", () => {
    const base = { name: "Ayşe", email: "ayse@x.com", phone: "", notes: "" };
    expect(toContactInput({ ...base, recipientType: "BIREYSEL" }).recipientType).toBe("BIREYSEL");
    expect(toContactInput({ ...base, recipientType: "TACIR" }).recipientType).toBe("TACIR");
    expect(toContactInput(base).recipientType).toBe("TACIR");
  });
});
