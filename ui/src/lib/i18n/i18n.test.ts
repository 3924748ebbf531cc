import { describe, expect, it } from "vitest";
import {
  describeError,
  dictionaries,
  errorLine,
  interpolate,
  keysOf,
  lookup,
  translate,
  type MessageKey,
} from "./index";
import en from "./en";
import tr from "./tr";
import { toErrorPayload } from "../api";
import { ERROR_CODES } from "../bindings";

/** Every code the backend (or the window itself) can show: Rust's closed ErrorCode set. */
const BACKEND_CODES: readonly string[] = ERROR_CODES;

/** Codes whose backend payload carries `detail`, and what the message then says. */
const DETAIL_MESSAGES: [string, string, string, string][] = [
  ["template.unknown_variable", "firma.adi", "Bilinmeyen değişken: firma.adi", "Unknown variable: firma.adi"],
  ["template.syntax", "2", "Şablonun yazımı hatalı (satır 2).", "The template is not written correctly (line 2)."],
  ["template.duplicate", "Teklif", "„Teklif” adında bir şablon zaten var.", "A template named “Teklif” exists already."],
  ["outbox.attachments_too_large", "25 MB", "Eklerin toplamı 25 MB sınırını aşıyor.", "The attachments exceed the 25 MB limit together."],
  ["compose.bad_attachment", "teklif.pdf", "Ek okunamadı: teklif.pdf", "The attachment could not be read: teklif.pdf"],
  ["validation.phone", "0532 12", "Geçerli bir telefon numarası değil: 0532 12", "Not a valid phone number: 0532 12"],
];

const payload = (code: string, field: string | null = null) => ({
  code,
  message: "backend words",
  hint: "backend hint",
  field,
});

describe("dictionaries", () => {
  it("every Turkish key exists in English and vice versa", () => {
    const trKeys = keysOf(tr).sort();
    const enKeys = keysOf(en).sort();
    expect(trKeys.length).toBeGreaterThan(50);
    expect(enKeys.filter((k) => !trKeys.includes(k))).toEqual([]);
    expect(trKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it("no translation is empty, and placeholders agree across languages", () => {
    for (const key of keysOf(tr)) {
      const a = lookup(dictionaries.tr, key) ?? "";
      const b = lookup(dictionaries.en, key) ?? "";
      expect(a.trim(), `tr:${key}`).not.toBe("");
      expect(b.trim(), `en:${key}`).not.toBe("");
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(b), key).toEqual(ph(a));
    }
  });

  it("the navigation is Turkish by default, English second", () => {
    expect(translate("tr", "nav.groupProfile")).toBe("Profil");
    expect(translate("tr", "nav.emailSettings")).toBe("E-posta Ayarları");
    expect(translate("tr", "nav.groupContact")).toBe("İletişim");
    expect(translate("tr", "nav.compose")).toBe("E-posta Oluştur");
    expect(translate("tr", "nav.integrations")).toBe("Entegrasyonlar");
    expect(translate("tr", "nav.history")).toBe("Gönderim Geçmişi");
    expect(translate("tr", "nav.notifications")).toBe("Bildirimler");
    expect(translate("tr", "nav.automations")).toBe("Otomasyonlar");
    expect(translate("en", "nav.automations")).toBe("Automations");
    expect(translate("en", "nav.compose")).toBe("Compose Email");
    expect(translate("en", "nav.history")).toBe("Send History");
    expect(translate("tr", "nav.companies")).toBe("Firmalar");
    expect(translate("en", "nav.companies")).toBe("Companies");
    expect(translate("tr", "page.comingSoon")).toBe("Bu bölüm henüz hazır değil.");
    expect(translate("tr", "profile.saved")).toBe("Kaydedildi");
    expect(translate("tr", "form.required")).toBe("zorunlu");
    expect(translate("en", "form.secretKept")).toContain("stored");
    expect(translate("tr", "smtp.missing", { fields: "SMTP Sunucusu, SMTP Port" })).toBe(
      "SMTP ayarları eksik: SMTP Sunucusu, SMTP Port",
    );
  });
});

describe("interpolation", () => {
  it("fills {name} and leaves unknown placeholders visible", () => {
    expect(translate("tr", "profile.workspace", { name: "Satış" })).toBe("Çalışma alanı: Satış");
    expect(translate("en", "profile.workspace", { name: "Sales" })).toBe("Workspace: Sales");
    expect(interpolate("{a} ve {b}", { a: 1 })).toBe("1 ve {b}");
    expect(interpolate("{a}{a}", { a: "x" })).toBe("xx");
    expect(interpolate("sabit", undefined)).toBe("sabit");
  });

  it("an unknown key comes back as the key, not a crash", () => {
    expect(translate("en", "nope.missing" as MessageKey)).toBe("nope.missing");
    expect(lookup(dictionaries.tr, "nav")).toBeUndefined();
    expect(lookup(dictionaries.tr, "nav.profile.deeper")).toBeUndefined();
    expect(lookup(dictionaries.tr, "toString")).toBeUndefined();
  });
});

describe("describeError", () => {
  it("translates every backend code in both languages, with a hint", () => {
    for (const code of BACKEND_CODES) {
      for (const lang of ["tr", "en"] as const) {
        const text = describeError(lang, payload(code));
        expect(text.message, `${lang}:${code}`).not.toBe("backend words");
        expect(text.hint, `${lang}:${code}`).toBeTruthy();
        expect(text.hint, `${lang}:${code}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it("never shows a raw placeholder in a message, with or without a detail", () => {
    for (const code of BACKEND_CODES) {
      for (const lang of ["tr", "en"] as const) {
        for (const detail of [null, "x"]) {
          const text = describeError(lang, { ...payload(code), detail });
          expect(text.message, `${lang}:${code}`).not.toMatch(/\{\w+\}/);
        }
      }
    }
  });

  it("names the value the error is about", () => {
    for (const [code, detail, trText, enText] of DETAIL_MESSAGES) {
      expect(describeError("tr", { ...payload(code), detail }).message).toBe(trText);
      expect(describeError("en", { ...payload(code), detail }).message).toBe(enText);
    }
    // No detail: the general message.
    expect(describeError("tr", payload("template.unknown_variable")).message).toBe(
      "Şablonda bilinmeyen bir değişken var.",
    );
    // A code without a detail text ignores it.
    expect(describeError("en", { ...payload("outbox.no_recipients"), detail: "x" }).message).toBe(
      "At least one recipient is needed.",
    );
  });

  it("says the passphrase is wrong", () => {
    expect(describeError("tr", payload("store.wrong_key")).message).toMatch(/^Parola yanlış/);
    expect(describeError("en", payload("store.wrong_key")).message).toBe("Wrong passphrase.");
  });

  it("falls back to the backend's message and hint for an unknown code", () => {
    expect(describeError("tr", payload("smtp.something_new"))).toEqual({
      message: "backend words",
      hint: "backend hint",
    });
    expect(
      describeError("en", { code: "x.y", message: "only words", hint: null, field: null }),
    ).toEqual({ message: "only words", hint: null });
  });

  it("never shows an empty message", () => {
    expect(describeError("en", { code: "x.y", message: " ", hint: null, field: null }).message).toBe(
      "An unexpected error occurred.",
    );
  });

  it("fills limits from the field or from client params", () => {
    expect(describeError("tr", payload("validation.too_long", "senderEmail")).hint).toContain("254");
    expect(describeError("en", payload("validation.too_long", "displayName")).hint).toContain("100");
    expect(describeError("en", { code: "validation.too_long", params: { max: 7 } }).hint).toContain(
      "7",
    );
    // No known limit: the backend's own hint rather than a raw "{max}".
    expect(describeError("en", payload("validation.too_long", "subject")).hint).toBe("backend hint");
    expect(describeError("tr", payload("store.passphrase_too_short")).hint).toContain("8");
  });

  it("company and contact limits come from client params", () => {
    expect(
      describeError("tr", { code: "validation.too_long", field: "name", params: { max: 200 } }).hint,
    ).toContain("200");
    expect(describeError("en", payload("validation.too_long", "phone")).hint).toContain("40");
    expect(describeError("tr", { code: "validation.email_or_phone" }).message).toBe(
      "E-posta adresi ya da telefon numarası gerekli.",
    );
  });

  it("WhatsApp's checks in the window keep their hint, the limit filled in", () => {
    for (const lang of ["tr", "en"] as const) {
      const many = describeError(lang, { code: "whatsapp.too_many_params", field: "params", params: { max: 20 } });
      expect(many.hint, lang).toContain("20");
      expect(many.hint, lang).not.toMatch(/[{}]/);
      expect(describeError(lang, { code: "whatsapp.template_name", field: "template" }).hint, lang).toMatch(/HX/);
    }
    expect(translate("tr", "nav.whatsapp")).toBe("WhatsApp Gönder");
    expect(translate("en", "nav.whatsapp")).toBe("Send WhatsApp");
  });

  it("client-side issues translate like backend errors", () => {
    expect(describeError("tr", { code: "validation.passphrase_mismatch" }).message).toBe(
      "Parolalar eşleşmiyor.",
    );
    expect(errorLine(describeError("en", { code: "validation.required" }))).toBe(
      "This field is required. Please fill it in.",
    );
  });

  it("a failed invoke outside Tauri says so", () => {
    const err = toErrorPayload(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    expect(err.code).toBe("ui.backend_unreachable");
    expect(describeError("en", err).message).toBe("Ulak's backend could not be reached.");
    expect(toErrorPayload(payload("store.io", null)).code).toBe("store.io");
    expect(err.fields).toEqual([]);
  });

  it("carries the backend's detail, null when absent", () => {
    expect(toErrorPayload({ ...payload("template.unknown_variable", "body"), detail: "x.y" }).detail).toBe(
      "x.y",
    );
    expect(toErrorPayload(payload("outbox.not_found")).detail).toBeNull();
    expect(toErrorPayload(new Error("boom")).detail).toBeNull();
  });

  it("keeps every field the backend names", () => {
    const many = { ...payload("smtp.settings_incomplete", "host"), fields: ["host", "port"] };
    expect(toErrorPayload(many).fields).toEqual(["host", "port"]);
    // An older payload with only `field` still names it.
    expect(toErrorPayload(payload("smtp.bad_port", "port")).fields).toEqual(["port"]);
  });
});

describe("components", () => {
  // A cheap guard against hard-coded user-visible text: markup text nodes in .svelte
  // files must be expressions, not words.
  it("contain no literal text between tags", () => {
    const sources = import.meta.glob<string>(["../../*.svelte", "../../**/*.svelte"], {
      query: "?raw",
      import: "default",
      eager: true,
    });
    const files = Object.entries(sources);
    expect(files.length).toBeGreaterThan(5);
    for (const [file, source] of files) {
      let markup = source
        .replace(/<script[\s\S]*?<\/script>/g, "")
        .replace(/<style[\s\S]*?<\/style>/g, "");
      // Strip {expressions}, innermost first, until none are left.
      for (let prev = ""; prev !== markup; ) {
        prev = markup;
        markup = markup.replace(/\{[^{}]*\}/g, "");
      }
      const texts = [...markup.matchAll(/>([^<>]*)</g)]
        .map((m) => (m[1] ?? "").trim())
        .filter((s) => /\p{L}/u.test(s));
      expect(texts, file).toEqual([]);
    }
  });
});
