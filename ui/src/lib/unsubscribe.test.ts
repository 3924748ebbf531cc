import { describe, expect, it } from "vitest";
import type { UnsubscribeReport } from "./bindings";
import {
  checkMailto,
  checkUrl,
  nothingFound,
  recordLines,
  recordedAny,
  settingsChanged,
  settingsToSend,
  urlIssueText,
  type UrlIssueKind,
} from "./unsubscribe";

describe("the unsubscribe page's address as typed", () => {
  it("takes empty (the e-mail route only) and an https address with {token}", () => {
    expect(checkUrl("")).toBeNull();
    expect(checkUrl("   ")).toBeNull();
    expect(checkUrl("https://firma.com.tr/abonelik?t={token}")).toBeNull();
    expect(checkUrl("  https://firma.com.tr/u/{token}  ")).toBeNull();
    expect(checkUrl("HTTPS://örnek.com.tr/abonelik/{token}?kaynak=ulak")).toBeNull();
  });

  it("plain http only to this computer, as the backend allows for a test", () => {
    expect(checkUrl("http://127.0.0.1:8080/u/{token}")).toBeNull();
    expect(checkUrl("http://localhost/u/{token}")).toBeNull();
    expect(checkUrl("http://firma.com.tr/u/{token}")?.kind).toBe("scheme");
  });

  it("says what is wrong, the scheme first", () => {
    const cases: [string, UrlIssueKind][] = [
      ["firma.com.tr/abonelik?t={token}", "scheme"],
      ["ftp://firma.com.tr/{token}", "scheme"],
      ["htt", "scheme"],
      ["https://firma.com.tr/abonelik", "token"],
      ["https://firma.com.tr/abonelik?t={TOKEN}", "token"],
      ["https://firma.com.tr/abonelik?t=token", "token"],
      ["https://user:pw@firma.com.tr/{token}", "shape"],
      ["https://", "token"],
      ["https://[::1/{token}", "shape"],
      ["https://firma com.tr/{token}", "shape"],
      ["https://firma.com.tr/{token}\r\nBcc: x", "control"],
      ["https://firma.com.tr/\t{token}", "control"],
    ];
    for (const [value, kind] of cases) expect(checkUrl(value)?.kind, value).toBe(kind);
  });

  it("words every issue in both languages, {token} shown as it is", () => {
    for (const kind of ["control", "scheme", "token", "shape"] as const) {
      for (const lang of ["tr", "en"] as const) {
        const text = urlIssueText({ kind }, lang);
        expect(text.message, `${lang}:${kind}`).not.toContain("suppression.");
        expect(text.hint, `${lang}:${kind}`).toBeTruthy();
      }
    }
    expect(urlIssueText({ kind: "token" }, "tr").message).toBe("Adreste {token} yok.");
    expect(urlIssueText({ kind: "scheme" }, "en").message).toBe("The address must start with https://.");
  });
});

describe("the unsubscribe mailbox as typed", () => {
  it("takes empty (the sending account's own) and an e-mail address", () => {
    expect(checkMailto("", "tr")).toBeNull();
    expect(checkMailto("abonelik@firma.com.tr", "tr")).toBeNull();
    expect(checkMailto(" satış@örnek.com.tr ", "en")).toBeNull();
  });

  it("refuses what is not one, in the backend's words", () => {
    expect(checkMailto("abonelik@", "tr")?.message).toBe("Geçerli bir e-posta adresi değil.");
    expect(checkMailto("abonelik firma.com.tr", "en")?.message).toBeTruthy();
    expect(checkMailto("a@b\nc.com", "tr")?.message).toContain("Satır sonu");
    expect(checkMailto(`${"a".repeat(250)}@firma.com.tr`, "tr")?.hint).toContain("254");
  });
});

describe("the settings as sent", () => {
  it("trims, and tells a change from what is stored", () => {
    expect(settingsToSend(" https://a.com/{token} ", " x@a.com ")).toEqual({
      url: "https://a.com/{token}",
      mailto: "x@a.com",
    });
    const stored = { url: "https://a.com/{token}", mailto: "" };
    expect(settingsChanged("https://a.com/{token} ", "", stored)).toBe(false);
    expect(settingsChanged("https://a.com/{token}", "x@a.com", stored)).toBe(true);
    expect(settingsChanged("", "", null)).toBe(true);
  });
});

describe("what a paste recorded", () => {
  const report: UnsubscribeReport = {
    recorded: [
      { address: "ayse@firma.com.tr", campaignId: 7, new: true },
      { address: "mehmet@firma.com.tr", campaignId: 7, new: false },
    ],
    unknown: ["u1.abc.def"],
  };

  it("one line each: listed now, listed already, not this workspace's", () => {
    expect(recordLines(report, "tr")).toEqual([
      { kind: "added", value: "ayse@firma.com.tr", text: "ayse@firma.com.tr listeye eklendi (kampanya 7)" },
      { kind: "already", value: "mehmet@firma.com.tr", text: "mehmet@firma.com.tr zaten listedeydi" },
      {
        kind: "unknown",
        value: "u1.abc.def",
        text: "u1.abc.def: bu çalışma alanının bağlantısı değil (değiştirilmiş ya da eksik kopyalanmış olabilir)",
      },
    ]);
    expect(recordLines(report, "en").map((l) => l.text)).toEqual([
      "ayse@firma.com.tr was added to the list (campaign 7)",
      "mehmet@firma.com.tr was on the list already",
      "u1.abc.def: not a link of this workspace (it may have been altered or copied incompletely)",
    ]);
  });

  it("tells an empty report from one that found something", () => {
    const empty = { recorded: [], unknown: [] };
    expect(nothingFound(empty)).toBe(true);
    expect(recordLines(empty, "tr")).toEqual([]);
    expect(nothingFound({ recorded: [], unknown: ["u1.x"] })).toBe(false);
    expect(recordedAny({ recorded: [], unknown: ["u1.x"] })).toBe(false);
    expect(recordedAny(report)).toBe(true);
  });
});
