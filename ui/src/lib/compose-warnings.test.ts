import { describe, expect, it } from "vitest";
import {
  bodyText,
  composeWarnings,
  firstWarningField,
  isEmptyBody,
  mentionsAttachment,
  wordsOf,
  type WarningFacts,
} from "./compose-warnings";

/** A draft that raises no warning; each test changes what it is about. */
const fine: WarningFacts = {
  subject: "Fiyat teklifi",
  bodyHtml: "<p>Merhaba, görüşmemiz üzerine yazıyorum.</p>",
  attachmentCount: 0,
  paused: false,
};
const warn = (facts: Partial<WarningFacts>) => composeWarnings({ ...fine, ...facts });

describe("the body's text", () => {
  it("strips tags, breaks lines at blocks and decodes entities", () => {
    expect(bodyText("<p>Sayın <b>Şule</b> Hanım</p><p>ek&nbsp;olarak</p>")).toBe(" Sayın Şule Hanım  ek olarak ");
    expect(bodyText("a &amp; b &lt;c&gt; &#231; &#x15F;")).toBe("a & b <c> ç ş");
    expect(bodyText("satır<br>ikinci")).toBe("satır ikinci");
  });

  it("is empty with only tags, breaks and whitespace", () => {
    expect(isEmptyBody("")).toBe(true);
    expect(isEmptyBody("<p><br></p>")).toBe(true);
    expect(isEmptyBody("<div><br></div><p>&nbsp; </p>\n")).toBe(true);
    expect(isEmptyBody("<p>\u200b</p>")).toBe(true);
    expect(isEmptyBody("<p>.</p>")).toBe(false);
    expect(isEmptyBody('<p><img src="data:image/png;base64,AA=="></p>')).toBe(false);
  });
});

describe("attachment words", () => {
  it("finds the Turkish words, whatever their case", () => {
    expect(mentionsAttachment("Fiyat listemiz ekte.")).toBe(true);
    expect(mentionsAttachment("EKTE fiyat listesi")).toBe(true);
    expect(mentionsAttachment("Ekli dosyaya bakınız")).toBe(true);
    expect(mentionsAttachment("EKLİ dosya")).toBe(true);
    expect(mentionsAttachment("EKLI dosya")).toBe(true);
    expect(mentionsAttachment("Ekteki teklifi inceleyin")).toBe(true);
    expect(mentionsAttachment("Teklif e-postanın ekinde.")).toBe(true);
    expect(mentionsAttachment("Katalog eklidir.")).toBe(true);
    expect(mentionsAttachment("Ek olarak, broşürü de gönderiyorum.")).toBe(true);
    expect(mentionsAttachment("EK  OLARAK")).toBe(true);
    expect(mentionsAttachment("(ekte)")).toBe(true);
  });

  it("finds the English words", () => {
    expect(mentionsAttachment("Please see the attached price list.")).toBe(true);
    expect(mentionsAttachment("ATTACHMENT: offer")).toBe(true);
    expect(mentionsAttachment("The Attachment is below")).toBe(true);
  });

  it("needs whole words: eklemek and the like do not count", () => {
    expect(mentionsAttachment("Listeye yeni ürün eklemek istiyoruz.")).toBe(false);
    expect(mentionsAttachment("Listeye eklendi.")).toBe(false);
    expect(mentionsAttachment("Fiyat listemiz ektedir.")).toBe(false);
    expect(mentionsAttachment("Şekli değişti, yüklemek gerek, sekte vurdu")).toBe(false);
    expect(mentionsAttachment("ek ürünler olarak")).toBe(false);
    expect(mentionsAttachment("We are attaching nothing; reattached")).toBe(false);
    expect(mentionsAttachment("")).toBe(false);
  });

  it("splits words on anything but letters, Turkish ones included", () => {
    expect(wordsOf("Şekli/ekli, ÇEKTE-ekte İzmir")).toEqual(["şekli", "ekli", "çekte", "ekte", "izmir"]);
  });
});

describe("the warnings before sending", () => {
  it("none for a complete draft while sending runs", () => {
    expect(warn({})).toEqual([]);
    expect(warn({ paused: null })).toEqual([]);
  });

  it("an empty subject (whitespace counts as empty)", () => {
    expect(warn({ subject: "" })).toEqual(["empty-subject"]);
    expect(warn({ subject: "   \t" })).toEqual(["empty-subject"]);
  });

  it("an empty body, e.g. only <p><br></p>", () => {
    expect(warn({ bodyHtml: "<p><br></p>" })).toEqual(["empty-body"]);
    expect(warn({ bodyHtml: "" })).toEqual(["empty-body"]);
    expect(warn({ bodyHtml: "<p> &nbsp;</p>" })).toEqual(["empty-body"]);
  });

  it("sending paused", () => {
    expect(warn({ paused: true })).toEqual(["paused"]);
  });

  it("an attachment mentioned in the subject or the body but no file", () => {
    expect(warn({ subject: "Teklif EKTE" })).toEqual(["missing-attachment"]);
    expect(warn({ bodyHtml: "<p>Teklifimiz <b>ekte</b>dir.</p>" })).toEqual([]);
    expect(warn({ bodyHtml: "<p>Katalog</p><p>Ekli</p>" })).toEqual(["missing-attachment"]);
    expect(warn({ bodyHtml: "<p>The offer is attached.</p>" })).toEqual(["missing-attachment"]);
    expect(warn({ bodyHtml: "<p>Teklifimiz ekte.</p>", attachmentCount: 1 })).toEqual([]);
    expect(warn({ bodyHtml: "<p>Yeni ürün eklemek istiyoruz.</p>" })).toEqual([]);
  });

  it("all of them at once, in order", () => {
    expect(warn({ subject: " ", bodyHtml: "<p><br></p>", paused: true })).toEqual([
      "empty-subject",
      "empty-body",
      "paused",
    ]);
    expect(warn({ subject: "", bodyHtml: "<p>ek olarak</p>", paused: true })).toEqual([
      "empty-subject",
      "paused",
      "missing-attachment",
    ]);
  });

  it("going back focuses the first warning's field", () => {
    expect(firstWarningField(["empty-subject", "empty-body"])).toBe("subject");
    expect(firstWarningField(["empty-body", "paused"])).toBe("body");
    expect(firstWarningField(["paused", "missing-attachment"])).toBe("attachments");
    expect(firstWarningField(["paused"])).toBeNull();
    expect(firstWarningField([])).toBeNull();
  });
});
