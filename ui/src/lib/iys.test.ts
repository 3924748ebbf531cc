import { describe, expect, it } from "vitest";
import type { IysMissing } from "./bindings";
import { lookup, dictionaries } from "./i18n";
import {
  DEFAULT_RECIPIENT_TYPE,
  IYS_MISSING,
  RECIPIENT_TYPES,
  SMS_PURPOSES,
  emailIysLines,
  missingText,
  purposeId,
  purposeLabel,
  recipientTypeBadge,
  recipientTypeLabel,
  smsIysArgs,
  smsIysLines,
  toPurpose,
} from "./iys";

const LANGS = ["tr", "en"] as const;

describe("a contact's recipient type", () => {
  it("is a merchant by default, and both types have words in both languages", () => {
    expect(DEFAULT_RECIPIENT_TYPE).toBe("TACIR");
    expect(RECIPIENT_TYPES[0]).toBe("TACIR");
    expect(recipientTypeLabel("tr", "TACIR")).toBe("Tacir / esnaf (şirket çalışanı)");
    expect(recipientTypeLabel("tr", "BIREYSEL")).toBe("Bireysel (kişisel onay gerekir)");
    for (const lang of LANGS) {
      for (const type of RECIPIENT_TYPES) {
        expect(recipientTypeLabel(lang, type)).not.toMatch(/^iys\./);
      }
    }
  });

  it("only individuals get a badge", () => {
    expect(recipientTypeBadge("tr", "BIREYSEL")).toBe("Bireysel");
    expect(recipientTypeBadge("en", "BIREYSEL")).toBe("Individual");
    expect(recipientTypeBadge("tr", "TACIR")).toBeNull();
  });
});

describe("an SMS's purpose", () => {
  it("none by default; the radios' ids and words", () => {
    expect(SMS_PURPOSES).toEqual(["", "informational", "commercial"]);
    expect(SMS_PURPOSES.map(purposeId)).toEqual(["none", "informational", "commercial"]);
    expect(SMS_PURPOSES.map((p) => purposeLabel("tr", p))).toEqual([
      "Belirtme (entegrasyonun ayarı)",
      "Bilgilendirme (sipariş, hatırlatma)",
      "Ticari (kampanya, tanıtım)",
    ]);
    for (const p of SMS_PURPOSES) expect(purposeLabel("en", p)).not.toMatch(/^iys\./);
  });

  it("goes to the backend as the purpose, or null when nothing was said", () => {
    expect(toPurpose("")).toBeNull();
    expect(toPurpose(null)).toBeNull();
    expect(toPurpose(undefined)).toBeNull();
    expect(toPurpose("commercial")).toBe("commercial");
    expect(toPurpose("informational")).toBe("informational");
  });
});

describe("what a commercial message lacks", () => {
  it("has words for every item on both channels, in both languages", () => {
    for (const lang of LANGS) {
      for (const channel of ["sms", "email"] as const) {
        for (const item of IYS_MISSING) {
          const text = lookup(dictionaries[lang], `iys.${channel}.${item}`);
          expect(text, `${lang}:${channel}:${item}`).toBeTruthy();
          expect(missingText(lang, channel, item)).toBe(text);
        }
      }
    }
  });

  it("says what and how to fix it (Turkish first)", () => {
    expect(missingText("tr", "sms", "tradeName")).toBe(
      "Ticaret unvanı ya da MERSİS numarası yok — metne '… A.Ş.' / '… Ltd. Şti.' unvanınızı ya da MERSİS numaranızı ekleyin.",
    );
    expect(missingText("tr", "sms", "contact")).toBe(
      "İletişim bilgisi yok — telefon, e-posta ya da web adresi ekleyin.",
    );
    expect(missingText("tr", "sms", "refusal")).toBe(
      "Ret bilgisi yok — 'Ret için RET MARKA yazıp 3338'e gönderin' ekleyin.",
    );
    expect(missingText("tr", "sms", "marker")).toBe(
      "Ticari olduğu başta belirtilmemiş — metne 'Kampanya:', 'Tanıtım:' ya da 'Bilgilendirme:' ile başlayın.",
    );
    // An e-mail's marker belongs in its subject; the rest is said as for an SMS.
    expect(missingText("tr", "email", "marker")).toBe(
      "Konu satırı ticari olduğunu belirtmiyor — konuya 'Kampanya:', 'Tanıtım:' ya da 'Bilgilendirme:' ile başlayın.",
    );
    expect(missingText("tr", "email", "tradeName")).toBe(missingText("tr", "sms", "tradeName"));
    expect(missingText("tr", "email", "contact")).toBe(missingText("tr", "sms", "contact"));
  });
});

describe("smsIysLines", () => {
  it("lists each missing item once, in the usual order", () => {
    const missing: IysMissing[] = ["marker", "tradeName", "marker"];
    const lines = smsIysLines("tr", { missing, individuals: 0, providerFilters: false });
    expect(lines.map((l) => (l.kind === "missing" ? l.item : l.kind))).toEqual(["tradeName", "marker"]);
  });

  it("warns about individuals only when the provider does not filter by consent", () => {
    const unfiltered = smsIysLines("tr", { missing: [], individuals: 3, providerFilters: false });
    expect(unfiltered).toEqual([
      {
        kind: "individuals",
        count: 3,
        text: "3 alıcı bireysel; bu sağlayıcı İYS onayını kontrol etmiyor. Yalnızca onay verenlere gönderin ya da Netgsm / İleti Merkezi kullanın.",
      },
    ]);
    const filtered = smsIysLines("tr", { missing: [], individuals: 3, providerFilters: true });
    expect(filtered).toEqual([{ kind: "ok", text: "Ticari ileti kontrolü: eksik yok." }]);
  });

  it("nothing missing, no warning: 'eksik yok'", () => {
    expect(smsIysLines("tr", { missing: [], individuals: 0, providerFilters: false })).toEqual([
      { kind: "ok", text: "Ticari ileti kontrolü: eksik yok." },
    ]);
    expect(smsIysLines("en", { missing: [], individuals: 0, providerFilters: false })[0]?.text).toBe(
      "Commercial message check: nothing missing.",
    );
  });

  it("missing items and the warning together", () => {
    const lines = smsIysLines("en", { missing: ["refusal"], individuals: 1, providerFilters: false });
    expect(lines.map((l) => l.kind)).toEqual(["missing", "individuals"]);
    expect(lines[1]?.text).toContain("1 recipients are individuals");
  });
});

describe("emailIysLines", () => {
  it("words the campaign's check, warning about any individuals", () => {
    const lines = emailIysLines("tr", { missing: ["marker", "contact"], individuals: 5 });
    expect(lines.map((l) => l.text)).toEqual([
      "İletişim bilgisi yok — telefon, e-posta ya da web adresi ekleyin.",
      "Konu satırı ticari olduğunu belirtmiyor — konuya 'Kampanya:', 'Tanıtım:' ya da 'Bilgilendirme:' ile başlayın.",
      "5 alıcı bireysel olabilir (bireysel kişiler ya da CSV'den gelenler): ticari e-postayı yalnızca İYS onayı verenlere gönderin.",
    ]);
  });

  it("nothing missing and no individuals: 'eksik yok'", () => {
    expect(emailIysLines("tr", { missing: [], individuals: 0 })).toEqual([
      { kind: "ok", text: "Ticari ileti kontrolü: eksik yok." },
    ]);
  });
});

describe("smsIysArgs", () => {
  const form = {
    provider: "twilio",
    company: "4",
    to: " 0532 123 45 67 ",
    text: " Kampanya: %20\r\nindirim ",
    purpose: "commercial" as const,
  };

  it("checks only a commercial SMS with a text", () => {
    expect(smsIysArgs({ ...form, purpose: "" }, false, [])).toBeNull();
    expect(smsIysArgs({ ...form, purpose: "informational" }, false, [])).toBeNull();
    expect(smsIysArgs({ ...form, text: " \n " }, false, [])).toBeNull();
  });

  it("one number: counted once it looks like one; the text as sent", () => {
    expect(smsIysArgs(form, false, [])).toEqual({
      provider: "twilio",
      companyId: 4,
      to: ["0532 123 45 67"],
      text: "Kampanya: %20\nindirim",
    });
    expect(smsIysArgs({ ...form, to: "05" }, false, [])?.to).toEqual([]);
    expect(smsIysArgs({ ...form, to: "" }, false, [])?.to).toEqual([]);
  });

  it("bulk: the recipients as they would be sent; the test box and no company as null", () => {
    expect(smsIysArgs({ ...form, provider: "", company: "" }, true, [" 0532 111 22 33", "", "+905337654321"])).toEqual({
      provider: null,
      companyId: null,
      to: ["0532 111 22 33", "+905337654321"],
      text: "Kampanya: %20\nindirim",
    });
  });
});
