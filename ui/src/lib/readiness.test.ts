import { describe, expect, it } from "vitest";
import type { DkimReport, Readiness } from "./bindings";
import {
  DKIM_KEYS,
  DMARC_STATES,
  MARK_SYMBOLS,
  SPF_STATES,
  dkimLines,
  dmarcLine,
  markLabel,
  overallLine,
  problemLines,
  readinessLines,
  spfLine,
  spfTerm,
} from "./readiness";

const LANGS = ["tr", "en"] as const;
/** A key not found comes back as the key itself; a placeholder left means a missing param. */
const worded = (text: string): void => {
  expect(text).not.toMatch(/^domain\./);
  expect(text).not.toMatch(/\{\w+\}/);
  expect(text.trim()).not.toBe("");
};

const spf = (state: (typeof SPF_STATES)[number], wanted: string | null = "include:_spf.google.com") => ({
  state,
  record: null,
  lookups: 4,
  wanted,
});
const dmarc = (state: (typeof DMARC_STATES)[number], policy: string | null = "none") => ({
  state,
  record: null,
  policy,
});
const dkim = (over: Partial<DkimReport> = {}): DkimReport => ({
  domain: "firma.com.tr",
  selector: "s1",
  aligned: true,
  key: "found",
  fromHeaders: true,
  ...over,
});

describe("every state has words in both languages", () => {
  it("SPF", () => {
    for (const lang of LANGS) {
      for (const state of SPF_STATES) {
        worded(spfLine(lang, "firma.com.tr", spf(state)).text);
        worded(spfLine(lang, "firma.com.tr", spf(state, null)).text);
      }
    }
  });

  it("DMARC", () => {
    for (const lang of LANGS) {
      for (const state of DMARC_STATES) {
        for (const policy of ["none", "reject", null]) {
          worded(dmarcLine(lang, "firma.com.tr", dmarc(state, policy)).text);
        }
      }
    }
  });

  it("DKIM, aligned or not, read from headers or guessed", () => {
    for (const lang of LANGS) {
      for (const key of DKIM_KEYS) {
        for (const aligned of [true, false]) {
          for (const fromHeaders of [true, false]) {
            const [line] = dkimLines(lang, [dkim({ key, aligned, fromHeaders })]);
            worded(line?.text ?? "");
          }
        }
      }
      worded(dkimLines(lang, [])[0]?.text ?? "");
    }
  });

  it("the marks and the verdict", () => {
    for (const lang of LANGS) {
      for (const mark of ["ok", "warn", "unknown"] as const) worded(markLabel(lang, mark));
      worded(overallLine(lang, { ready: true }).text);
      worded(overallLine(lang, { ready: false }).text);
    }
    expect(MARK_SYMBOLS).toEqual({ ok: "✓", warn: "⚠", unknown: "?" });
  });
});

describe("SPF", () => {
  it("the term to add: an include as it is, a host as a:<host>", () => {
    expect(spfTerm("include:_spf.google.com")).toBe("include:_spf.google.com");
    expect(spfTerm("smtp.firma.com.tr")).toBe("a:smtp.firma.com.tr");
    expect(spfTerm(" mail.example.net ")).toBe("a:mail.example.net");
    expect(spfTerm("ip4:203.0.113.5")).toBe("ip4:203.0.113.5");
    expect(spfTerm("a:mail.x.com")).toBe("a:mail.x.com");
  });

  it("says what to add, with the lookups counted", () => {
    expect(spfLine("tr", "firma.com.tr", spf("ok")).text).toBe("SPF tamam (4/10 DNS sorgusu).");
    expect(spfLine("tr", "firma.com.tr", spf("missing")).text).toBe(
      "SPF kaydı yok. Alan adınızın DNS'ine şu TXT kaydını ekleyin: v=spf1 include:_spf.google.com ~all",
    );
    expect(spfLine("tr", "firma.com.tr", spf("missing", "smtp.firma.com.tr")).text).toBe(
      "SPF kaydı yok. Alan adınızın DNS'ine şu TXT kaydını ekleyin: v=spf1 a:smtp.firma.com.tr ~all",
    );
    expect(spfLine("tr", "firma.com.tr", spf("lacksProvider", "smtp.firma.com.tr")).text).toBe(
      "SPF kaydı sağlayıcınızı içermiyor: kayda a:smtp.firma.com.tr ekleyin.",
    );
    expect(spfLine("tr", "firma.com.tr", spf("tooManyLookups")).text).toBe(
      "SPF 4 DNS sorgusu gerektiriyor; alıcılar 10'da durur. Kullanmadığınız include'ları çıkarın.",
    );
    expect(spfLine("tr", "gmail.com", spf("providerDomain")).text).toContain(
      "gmail.com sağlayıcının kendi alan adı; kayıtlarını sağlayıcı yönetir.",
    );
    expect(spfLine("tr", "x", spf("noAnswer")).text).toContain(
      "DNS yanıt vermedi; internet bağlantınızı kontrol edip yeniden deneyin.",
    );
  });

  it("marks: fine ✓, to fix ⚠, no answer ?", () => {
    const marks = SPF_STATES.map((s) => spfLine("tr", "x", spf(s)).mark);
    expect(Object.fromEntries(SPF_STATES.map((s, i) => [s, marks[i]]))).toEqual({
      ok: "ok",
      missing: "warn",
      multiple: "warn",
      invalid: "warn",
      lacksProvider: "warn",
      tooManyLookups: "warn",
      noAnswer: "unknown",
      providerDomain: "ok",
    });
  });
});

describe("DMARC", () => {
  it("says the record to add under _dmarc", () => {
    expect(dmarcLine("tr", "firma.com.tr", dmarc("ok")).text).toBe(
      "DMARC tamam (p=none). p=none şimdilik yeterli.",
    );
    expect(dmarcLine("tr", "firma.com.tr", dmarc("ok", "reject")).text).toBe("DMARC tamam (p=reject).");
    expect(dmarcLine("tr", "firma.com.tr", dmarc("missing", null)).text).toBe(
      "DMARC kaydı yok. _dmarc.firma.com.tr adına şu TXT kaydını ekleyin: v=DMARC1; p=none; rua=mailto:dmarc@firma.com.tr",
    );
    expect(dmarcLine("tr", "x", dmarc("missing")).mark).toBe("warn");
    expect(dmarcLine("tr", "x", dmarc("noAnswer")).mark).toBe("unknown");
    expect(dmarcLine("tr", "x", dmarc("ok")).mark).toBe("ok");
  });
});

describe("DKIM", () => {
  it("none found is unknown, never missing, and says how to find out", () => {
    const [line] = dkimLines("tr", []);
    expect(line?.mark).toBe("unknown");
    expect(line?.text).toBe(
      "DKIM bilinmiyor: seçiciler DNS'ten listelenemez. Kendinize bir test e-postası gönderin (\"Test e-postası gönder\"), gelen e-postanın başlıklarını yukarıya yapıştırıp yeniden kontrol edin.",
    );
    for (const lang of LANGS) {
      expect(dkimLines(lang, [])[0]?.text.toLowerCase()).not.toMatch(/yok\b|missing/);
    }
  });

  it("a signature: its key and alignment, and whether a common selector answered", () => {
    expect(dkimLines("tr", [dkim()])[0]).toEqual({
      check: "dkim",
      state: "found",
      mark: "ok",
      text: "DKIM d=firma.com.tr s=s1: anahtar bulundu; From ile uyumlu",
    });
    expect(dkimLines("tr", [dkim({ key: "notFound", selector: "google" })])[0]?.text).toBe(
      "DKIM d=firma.com.tr s=google: anahtar DNS'te yok (alıcılar DKIM'i geçersiz sayar); From ile uyumlu",
    );
    const guessed = dkimLines("tr", [dkim({ aligned: false, domain: "sendgrid.net", fromHeaders: false })])[0];
    expect(guessed?.text).toBe(
      "DKIM d=sendgrid.net s=s1: anahtar bulundu; From ile uyumsuz (DMARC için d= sizin alan adınız olmalı) (yaygın bir seçici yanıt verdi)",
    );
    expect(guessed?.mark).toBe("warn");
    expect(dkimLines("tr", [dkim({ key: "notFound" })])[0]?.mark).toBe("warn");
    expect(dkimLines("tr", [dkim({ key: "noAnswer" })])[0]?.mark).toBe("unknown");
    expect(dkimLines("tr", [dkim(), dkim({ selector: "s2" })])).toHaveLength(2);
  });
});

describe("the whole check", () => {
  const r: Readiness = {
    domain: "firma.com.tr",
    spf: spf("missing"),
    dmarc: dmarc("ok"),
    dkim: [],
    ready: false,
  };

  it("SPF, DKIM, DMARC in order; the verdict apart", () => {
    expect(readinessLines("tr", r).map((l) => [l.check, l.mark])).toEqual([
      ["spf", "warn"],
      ["dkim", "unknown"],
      ["dmarc", "ok"],
    ]);
    expect(overallLine("tr", r)).toEqual({
      check: "overall",
      state: "notReady",
      mark: "warn",
      text: "Toplu gönderimden önce yukarıdaki noktaları düzeltin: Gmail, Yahoo ve Outlook SPF, DKIM ve DMARC olmadan toplu e-postayı reddediyor ya da spama atıyor.",
    });
    expect(overallLine("tr", { ready: true }).text).toBe("Alan adınız toplu gönderime hazır.");
  });

  it("the short form keeps only what is to be fixed", () => {
    expect(problemLines("tr", r).map((l) => l.check)).toEqual(["spf"]);
    expect(problemLines("tr", { ...r, spf: spf("ok") })).toEqual([]);
  });
});
