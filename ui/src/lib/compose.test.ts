import { describe, expect, it } from "vitest";
import {
  accountIdOf,
  accountLabel,
  addAddress,
  addAddresses,
  checkAddresses,
  composeField,
  composeInput,
  contentTypeOf,
  copiesCount,
  copiesEachShown,
  dataUrlBase64,
  defaultAccount,
  defaultAccountChoice,
  escapeHtml,
  formatSize,
  hasAddress,
  idOf,
  insertAt,
  isBlankHtml,
  newIdempotencyKey,
  normalizeLink,
  overLimit,
  SANDBOX,
  senderRank,
  splitAddresses,
  templateToUpdate,
  totalBytes,
  variableLabel,
  variableToken,
} from "./compose";
import type { ComposeDraftFields } from "./compose";
import { describeError } from "./i18n";

describe("recipients", () => {
  it("splits on commas, semicolons and line breaks", () => {
    expect(splitAddresses(" a@x.com, b@y.com.tr;c@z.org\n\nd@w.net ;; ")).toEqual([
      "a@x.com",
      "b@y.com.tr",
      "c@z.org",
      "d@w.net",
    ]);
    expect(splitAddresses("   ")).toEqual([]);
  });

  it("names the first bad address, and accepts IDN domains", () => {
    expect(checkAddresses("ali@örnek.com.tr, satış@firma.com")).toEqual({
      addresses: ["ali@örnek.com.tr", "satış@firma.com"],
      issue: null,
    });
    const bad = checkAddresses("ali@firma.com, veli@, ayse@firma");
    expect(bad.issue).toEqual({ code: "validation.email", detail: "veli@", params: undefined });
    expect(bad.addresses).toEqual(["ali@firma.com", "veli@", "ayse@firma"]);
    expect(describeError("tr", { code: "validation.email", detail: "veli@" }).message).toBe(
      "Geçerli bir e-posta adresi değil: veli@",
    );
    expect(checkAddresses("").issue).toBeNull();
  });

  it("lists an address once", () => {
    expect(checkAddresses("Ali@Firma.com, ali@firma.com").addresses).toEqual(["Ali@Firma.com"]);
  });

  it("adds a picked contact without duplicates", () => {
    expect(addAddress("", "ali@firma.com")).toBe("ali@firma.com");
    expect(addAddress("veli@firma.com;", "ali@firma.com")).toBe("veli@firma.com, ali@firma.com");
    expect(addAddress("ALI@firma.com", "ali@firma.com")).toBe("ALI@firma.com");
    expect(hasAddress("a@x.com, b@x.com", " B@X.com ")).toBe(true);
  });

  it("adds a company's contacts' addresses to To in order, each once, case aside", () => {
    expect(addAddresses("", ["ali@firma.com", "veli@firma.com"])).toEqual({
      text: "ali@firma.com, veli@firma.com",
      added: 2,
    });
    expect(
      addAddresses("VELI@firma.com; x@y.com", ["ali@firma.com", "veli@firma.com", " ayse@firma.com "]),
    ).toEqual({ text: "VELI@firma.com, x@y.com, ali@firma.com, ayse@firma.com", added: 2 });
    // A repeat among the contacts, and blanks, are skipped.
    expect(addAddresses("", ["ali@firma.com", "", "  ", "ALI@firma.com"])).toEqual({
      text: "ali@firma.com",
      added: 1,
    });
  });

  it("leaves To as typed when every contact is in it already, or there is none", () => {
    expect(addAddresses("Ali@Firma.com;\n", ["ali@firma.com"])).toEqual({
      text: "Ali@Firma.com;\n",
      added: 0,
    });
    expect(addAddresses("a@x.com", [])).toEqual({ text: "a@x.com", added: 0 });
    // The same result as the contact buttons one after another.
    const emails = ["b@x.com", "a@x.com", "c@x.com"];
    expect(addAddresses("a@x.com", emails).text).toBe(
      emails.reduce((to, e) => addAddress(to, e), "a@x.com"),
    );
  });
});

describe("accounts", () => {
  const acc = (id: number, active: boolean) => ({ id, active, oauth: null });

  it("labels an account by address and sender name", () => {
    expect(accountLabel({ email: "ali@firma.com", senderName: "Ali Veli" })).toBe(
      "ali@firma.com — Ali Veli",
    );
    expect(accountLabel({ email: "ali@firma.com", senderName: " " })).toBe("ali@firma.com");
  });

  it("picks the first active account, else the sandbox", () => {
    expect(defaultAccountChoice([acc(3, false), acc(5, true), acc(7, true)])).toBe("5");
    expect(defaultAccountChoice([acc(3, false)])).toBe(SANDBOX);
    expect(defaultAccountChoice([])).toBe(SANDBOX);
  });

  describe("the default sender, in the seeds' order", () => {
    const smtp = (id: number, active = true) => acc(id, active);
    const resend = (id: number, active = true) => ({ ...acc(id, active), integrationId: 40 + id });
    const signedIn = (id: number, provider: "google" | "microsoft", active = true) => ({
      ...acc(id, active),
      oauth: { connectionId: id, provider, status: "active" as const },
    });
    const gmail = (id: number, active = true) => signedIn(id, "google", active);
    const outlook = (id: number, active = true) => signedIn(id, "microsoft", active);

    it("ranks Resend, then Gmail, then Outlook, then SMTP", () => {
      expect([resend(1), gmail(2), outlook(3), smtp(4)].map(senderRank)).toEqual([0, 1, 2, 3]);
      // An account without an integration (null, or left out) is not Resend's.
      expect(senderRank({ oauth: null, integrationId: null })).toBe(3);
    });

    it("prefers Resend over the signed-in accounts and SMTP, wherever it is listed", () => {
      expect(defaultAccount([smtp(1), outlook(2), gmail(3), resend(4)])?.id).toBe(4);
      expect(defaultAccountChoice([smtp(1), outlook(2), gmail(3), resend(4)])).toBe("4");
    });

    it("then Gmail, then Outlook, then SMTP", () => {
      expect(defaultAccount([smtp(1), outlook(2), gmail(3)])?.id).toBe(3);
      expect(defaultAccount([smtp(1), outlook(2)])?.id).toBe(2);
      expect(defaultAccount([smtp(1), smtp(2)])?.id).toBe(1);
    });

    it("skips accounts that do not send", () => {
      expect(defaultAccount([resend(1, false), gmail(2, false), smtp(3)])?.id).toBe(3);
      expect(defaultAccount([resend(1, false), smtp(2, false)])).toBeNull();
      expect(defaultAccountChoice([resend(1, false)])).toBe(SANDBOX);
      expect(defaultAccount([])).toBeNull();
    });

    it("keeps the list's order among accounts of one kind", () => {
      expect(defaultAccount([gmail(5), resend(2), gmail(1), resend(9)])?.id).toBe(2);
      expect(defaultAccount([outlook(7), smtp(1), outlook(3)])?.id).toBe(7);
    });

    it("gives back the account itself", () => {
      const chosen = gmail(8);
      expect(defaultAccount([smtp(1), chosen])).toBe(chosen);
    });
  });

  it("turns select values into ids", () => {
    expect(accountIdOf(SANDBOX)).toBeNull();
    expect(accountIdOf("12")).toBe(12);
    expect(idOf("")).toBeNull();
    expect(idOf("4")).toBe(4);
  });
});

describe("attachments", () => {
  it("formats sizes in KB and MB", () => {
    expect(formatSize(0, "en")).toBe("0 KB");
    expect(formatSize(100, "en")).toBe("0.1 KB");
    expect(formatSize(1536, "tr")).toBe("1,5 KB");
    expect(formatSize(200 * 1024, "en")).toBe("200 KB");
    expect(formatSize(25 * 1024 * 1024, "tr")).toBe("25 MB");
    expect(formatSize(1.5 * 1024 * 1024, "tr")).toBe("1,5 MB");
    expect(formatSize(1.5 * 1024 * 1024, "en")).toBe("1.5 MB");
  });

  it("adds sizes up against the limit", () => {
    const files = [{ size: 10 }, { size: 20 }];
    expect(totalBytes(files)).toBe(30);
    expect(overLimit(files, 30)).toBe(false);
    expect(overLimit(files, 29)).toBe(true);
    expect(totalBytes([])).toBe(0);
  });

  it("reads a data URL's base64 and a file's type", () => {
    expect(dataUrlBase64("data:application/pdf;base64,JVBERi0=")).toBe("JVBERi0=");
    expect(dataUrlBase64("data:;base64,")).toBe("");
    expect(dataUrlBase64("garbage")).toBe("");
    expect(contentTypeOf({ type: "" })).toBe("application/octet-stream");
    expect(contentTypeOf({ type: "image/png" })).toBe("image/png");
  });

  it("says the limit in the error", () => {
    const text = describeError("tr", { code: "outbox.attachments_too_large", detail: "25 MB" });
    expect(text.message).toBe("Eklerin toplamı 25 MB sınırını aşıyor.");
    expect(describeError("en", { code: "outbox.attachments_too_large" }).message).toBe(
      "The attachments are too large.",
    );
  });
});

describe("variables", () => {
  it("inserts a token at the caret or over the selection", () => {
    expect(variableToken("company.name")).toBe("{{ company.name }}");
    expect(insertAt("Merhaba ", 8, 8, "{{ contact.first_name }}")).toEqual({
      value: "Merhaba {{ contact.first_name }}",
      caret: 32,
    });
    expect(insertAt("Teklif X için", 7, 8, "{{ company.name }}")).toEqual({
      value: "Teklif {{ company.name }} için",
      caret: 25,
    });
    expect(insertAt("abc", null, null, "!")).toEqual({ value: "abc!", caret: 4 });
    expect(insertAt("abc", 99, 2, "!")).toEqual({ value: "abc!", caret: 4 });
  });

  it("labels the backend's variables in both languages", () => {
    expect(variableLabel("tr", "company.name")).toBe("Firma adı");
    expect(variableLabel("en", "contact.first_name")).toBe("Contact first name");
    expect(variableLabel("tr", "today")).toBe("Bugünün tarihi");
    expect(variableLabel("en", "deal.amount")).toBe("deal.amount");
  });

  it("names the unknown variable in the error", () => {
    expect(
      describeError("tr", { code: "template.unknown_variable", detail: "firma.adi" }).message,
    ).toBe("Bilinmeyen değişken: firma.adi");
    expect(describeError("en", { code: "template.syntax", detail: "3" }).message).toBe(
      "The template is not written correctly (line 3).",
    );
  });
});

describe("the body", () => {
  it("knows an empty editor", () => {
    expect(isBlankHtml("")).toBe(true);
    expect(isBlankHtml("<br>")).toBe(true);
    expect(isBlankHtml("<div><br></div>&nbsp;")).toBe(true);
    expect(isBlankHtml("<p>Merhaba</p>")).toBe(false);
    expect(isBlankHtml('<img src="x.png">')).toBe(false);
  });

  it("accepts web and mail links only", () => {
    expect(normalizeLink("https://firma.com.tr/teklif")).toBe("https://firma.com.tr/teklif");
    expect(normalizeLink("firma.com.tr")).toBe("https://firma.com.tr");
    expect(normalizeLink("ali@firma.com.tr")).toBe("mailto:ali@firma.com.tr");
    expect(normalizeLink("mailto:ali@firma.com")).toBe("mailto:ali@firma.com");
    expect(normalizeLink("javascript:alert(1)")).toBeNull();
    expect(normalizeLink("data:text/html,x")).toBeNull();
    expect(normalizeLink("iki kelime")).toBeNull();
    expect(normalizeLink("")).toBeNull();
    expect(normalizeLink("localhost:8080/x")).toBe("https://localhost:8080/x");
    expect(normalizeLink("nodot")).toBeNull();
  });

  it("escapes HTML", () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});

describe("templates", () => {
  const list = [
    { id: 1, name: "Teklif takibi" },
    { id: 2, name: "İlk temas" },
  ];

  it("updates the selected template while its name is kept", () => {
    expect(templateToUpdate(list, 1, "Teklif takibi")).toBe(1);
    expect(templateToUpdate(list, 2, " ilk temas ")).toBe(2);
  });

  it("creates a new one otherwise", () => {
    expect(templateToUpdate(list, 1, "Teklif takibi 2")).toBeNull();
    expect(templateToUpdate(list, null, "Teklif takibi")).toBeNull();
    expect(templateToUpdate(list, 9, "Teklif takibi")).toBeNull();
  });
});

describe("errors by field", () => {
  it("maps backend fields onto the form", () => {
    expect(composeField("company")).toBe("company");
    expect(composeField("from")).toBe("account");
    expect(composeField("text")).toBe("body");
    expect(composeField("attachments")).toBe("attachments");
    expect(composeField("name")).toBeNull();
    expect(composeField(null)).toBeNull();
  });
});

describe("idempotency keys", () => {
  it("are fresh each time", () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
  });
});

describe("the ComposeInput", () => {
  const draft = (over: Partial<ComposeDraftFields> = {}): ComposeDraftFields => ({
    account: "2",
    company: "3",
    to: "sule@ozturk-gida.com.tr, ali@ozturk-gida.com.tr",
    cc: "ayse@ozturk-gida.com.tr",
    bcc: "",
    subject: "Fiyat teklifi",
    bodyHtml: "<p>Sayın {{ contact.name }}</p>",
    attachments: [
      { id: 1, filename: "teklif.pdf", contentType: "application/pdf", size: 3, dataBase64: "AAAA" },
    ],
    separate: true,
    copiesEach: false,
    scheduled: false,
    sendAt: "",
    ...over,
  });

  it("carries the draft, copiesEach false unless the box is ticked", () => {
    expect(composeInput(draft(), "k1")).toEqual({
      accountId: 2,
      companyId: 3,
      to: ["sule@ozturk-gida.com.tr", "ali@ozturk-gida.com.tr"],
      cc: ["ayse@ozturk-gida.com.tr"],
      bcc: [],
      subject: "Fiyat teklifi",
      html: "<p>Sayın {{ contact.name }}</p>",
      text: null,
      attachments: [{ filename: "teklif.pdf", contentType: "application/pdf", dataBase64: "AAAA" }],
      separate: true,
      copiesEach: false,
      idempotencyKey: "k1",
      sendAt: null,
    });
    expect(composeInput(draft({ copiesEach: true }), "k1").copiesEach).toBe(true);
  });

  it("sends copiesEach only while its box shows", () => {
    // Ticked, then Cc emptied or "separate" unticked: the box is gone, so is the wish.
    expect(composeInput(draft({ copiesEach: true, cc: "" }), null).copiesEach).toBe(false);
    expect(composeInput(draft({ copiesEach: true, separate: false }), null).copiesEach).toBe(false);
    expect(composeInput(draft({ copiesEach: true, cc: "", bcc: "arsiv@firma.com.tr" }), null).copiesEach).toBe(
      true,
    );
  });

  it("sends the chosen time only while 'Daha sonra gönder' is ticked", () => {
    const sendAt = composeInput(draft({ scheduled: true, sendAt: "2026-06-01T14:30" }), "k1").sendAt;
    expect(sendAt).toMatch(/^2026-06-01T14:30:00(Z|[+-]\d{2}:\d{2})$/);
    expect(new Date(sendAt ?? "").getTime()).toBe(new Date(2026, 5, 1, 14, 30).getTime());
    // Unticked, a time still typed is not sent: the message goes now.
    expect(composeInput(draft({ scheduled: false, sendAt: "2026-06-01T14:30" }), "k1").sendAt).toBeNull();
    expect(composeInput(draft({ scheduled: true, sendAt: "" }), "k1").sendAt).toBeNull();
  });

  it("a preview has no key; the sandbox and a blank body are null", () => {
    const input = composeInput(draft({ account: SANDBOX, company: "", bodyHtml: "<p><br></p>" }), null);
    expect([input.accountId, input.companyId, input.html, input.idempotencyKey]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it("shows the box in a separate send with Cc or Bcc, counting a copy per To", () => {
    expect(copiesEachShown({ separate: true, cc: "a@b.com.tr", bcc: "" })).toBe(true);
    expect(copiesEachShown({ separate: true, cc: "", bcc: "a@b.com.tr" })).toBe(true);
    expect(copiesEachShown({ separate: true, cc: " ; ", bcc: "" })).toBe(false);
    expect(copiesEachShown({ separate: false, cc: "a@b.com.tr", bcc: "a@b.com.tr" })).toBe(false);
    expect(copiesCount("a@b.com.tr, c@d.com.tr; A@B.com.tr")).toBe(2);
    expect(copiesCount("")).toBe(1);
  });
});
