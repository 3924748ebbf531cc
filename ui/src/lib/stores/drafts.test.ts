import { describe, expect, it } from "vitest";
import type { Attached } from "../compose";
import { installRunes } from "./testing";

installRunes();
// Imported once the runes stand in: the module makes its drafts as it loads.
const { ComposeDraft, Drafts, SmsDraft, WhatsappDraft, drafts } = await import("./drafts.svelte");
const { RecipientChoice } = await import("./recipients.svelte");

const FILE: Attached = {
  id: 7,
  filename: "fiyat-listesi.pdf",
  contentType: "application/pdf",
  size: 3,
  dataBase64: "AAAA",
};

const NO_TARGET = { company: "", to: "" };

/**
 * What a composer page does when it opens: it takes the window's draft (it keeps none of
 * its own), claims it for its workspace and takes the shared target.
 */
function openCompose(store: InstanceType<typeof Drafts>, workspaceId: number, target = NO_TARGET) {
  store.claim(workspaceId);
  store.compose.adopt(target);
  return store.compose;
}

function openSms(store: InstanceType<typeof Drafts>, workspaceId: number, target = NO_TARGET) {
  store.claim(workspaceId);
  store.sms.adopt(target);
  return store.sms;
}

function openWhatsapp(store: InstanceType<typeof Drafts>, workspaceId: number, target = NO_TARGET) {
  store.claim(workspaceId);
  store.whatsapp.adopt(target);
  return store.whatsapp;
}

/** An e-mail draft with every part written. */
function writeCompose(d: InstanceType<typeof ComposeDraft>): void {
  d.company = "3";
  d.account = "2";
  d.template = "5";
  d.templateName = "Teklif";
  d.to = "sule@ozturk-gida.com.tr";
  d.cc = "ayse@ozturk-gida.com.tr";
  d.bcc = "arsiv@firma.com.tr";
  d.showCc = true;
  d.subject = "Fiyat teklifi — ğüşıöç";
  d.bodyHtml = "<p>Sayın Şule Hanım</p>";
  d.separate = true;
  d.copiesEach = true;
  d.attachments = [FILE];
  d.scheduled = true;
  d.sendAt = "2026-06-01T14:30";
}

describe("the composers' drafts", () => {
  it("the window has one set, each composer one draft, empty to start with", () => {
    expect(drafts).toBeInstanceOf(Drafts);
    expect(drafts.compose).toBeInstanceOf(ComposeDraft);
    expect(drafts.sms).toBeInstanceOf(SmsDraft);
    expect(drafts.whatsapp).toBeInstanceOf(WhatsappDraft);
    expect(drafts.compose.blank).toBe(true);
    expect(drafts.sms.blank).toBe(true);
    expect(drafts.whatsapp.blank).toBe(true);
  });

  it("an e-mail draft is still there when the page opens again", () => {
    const store = new Drafts();
    const first = openCompose(store, 1);
    writeCompose(first);
    // Another page, then E-posta Oluştur again (the company is still the target's).
    const again = openCompose(store, 1, { company: "3", to: "" });
    expect(again).toBe(first);
    expect({
      company: again.company,
      account: again.account,
      template: again.template,
      templateName: again.templateName,
      to: again.to,
      cc: again.cc,
      bcc: again.bcc,
      showCc: again.showCc,
      subject: again.subject,
      bodyHtml: again.bodyHtml,
      separate: again.separate,
      copiesEach: again.copiesEach,
      attachments: again.attachments,
    }).toEqual({
      company: "3",
      account: "2",
      template: "5",
      templateName: "Teklif",
      to: "sule@ozturk-gida.com.tr",
      cc: "ayse@ozturk-gida.com.tr",
      bcc: "arsiv@firma.com.tr",
      showCc: true,
      subject: "Fiyat teklifi — ğüşıöç",
      bodyHtml: "<p>Sayın Şule Hanım</p>",
      separate: true,
      copiesEach: true,
      attachments: [FILE],
    });
    expect(again.blank).toBe(false);
  });

  it("the company chosen meanwhile (another composer, a contact's button) comes along", () => {
    const store = new Drafts();
    const d = openCompose(store, 1, { company: "3", to: "" });
    d.subject = "Merhaba";
    openCompose(store, 1, { company: "4", to: "" });
    expect([d.company, d.subject]).toEqual(["4", "Merhaba"]);
  });

  it("queued, the e-mail draft goes but its company, account and 'separate'; a new key", () => {
    const d = new ComposeDraft();
    writeCompose(d);
    const key = d.key;
    expect(d.sent(key)).toBe(true);
    expect([d.to, d.cc, d.bcc, d.subject, d.bodyHtml, d.template, d.templateName]).toEqual([
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ]);
    expect(d.attachments).toEqual([]);
    expect(d.showCc).toBe(false);
    // The box goes with Cc and Bcc: a new draft asks again.
    expect(d.copiesEach).toBe(false);
    // Scheduled for a time: the next message is sent now unless asked otherwise.
    expect([d.scheduled, d.sendAt]).toEqual([false, ""]);
    expect([d.company, d.account, d.separate]).toEqual(["3", "2", true]);
    expect(d.key).not.toBe(key);
  });

  it("an answer for a draft cleared since changes nothing", () => {
    const d = new ComposeDraft();
    const old = d.key;
    d.clear();
    d.subject = "Yeni taslak";
    expect(d.sent(old)).toBe(false);
    expect(d.subject).toBe("Yeni taslak");
  });

  it("'Taslağı temizle' empties the e-mail draft but the account", () => {
    const d = new ComposeDraft();
    writeCompose(d);
    const key = d.key;
    d.clear();
    expect(d.blank).toBe(true);
    expect(d.account).toBe("2");
    expect([d.company, d.separate, d.copiesEach]).toEqual(["", false, false]);
    expect([d.scheduled, d.sendAt]).toEqual([false, ""]);
    expect(d.key).not.toBe(key);
  });

  it("a scheduled time is part of the draft: it outlives the page and makes it worth clearing", () => {
    const store = new Drafts();
    const d = openCompose(store, 1, { company: "", to: "" });
    d.account = "2";
    expect(d.blank).toBe(true);
    d.scheduled = true;
    expect(d.blank).toBe(false);
    d.sendAt = "2026-06-01T14:30";
    // Another page and back: the same draft, the time still chosen.
    const again = openCompose(store, 1, { company: "", to: "" });
    expect([again.scheduled, again.sendAt]).toEqual([true, "2026-06-01T14:30"]);
    // Unticked, the time typed stays (ticked again, it is back) and still counts.
    again.scheduled = false;
    expect(again.blank).toBe(false);
    again.clear();
    expect([again.scheduled, again.sendAt, again.blank]).toEqual([false, "", true]);
  });

  it("a blank-looking body, spaces in the boxes: nothing to clear", () => {
    const d = new ComposeDraft();
    d.account = "2";
    d.bodyHtml = "<p><br></p>";
    d.to = "  ";
    expect(d.blank).toBe(true);
    d.bodyHtml = "<p>a</p>";
    expect(d.blank).toBe(false);
  });

  it("an SMS draft, its bulk recipients included, is still there when the page opens again", () => {
    const store = new Drafts();
    const d = openSms(store, 1, { company: "3", to: "0532 123 45 67" });
    d.form.provider = "twilio";
    d.providerPicked = true;
    d.form.text = "Merhaba Işıl Hanım";
    // The page's recipient choice writes into the draft's.
    const choice = new RecipientChoice(undefined, d.recipients);
    choice.mode = "bulk";
    choice.pick(11, true);
    choice.numbersText = "0535 000 11 22";
    choice.close();

    const again = openSms(store, 1, { company: "3", to: "0532 123 45 67" });
    expect({ ...again.form }).toEqual({
      provider: "twilio",
      company: "3",
      to: "0532 123 45 67",
      text: "Merhaba Işıl Hanım",
      purpose: "",
    });
    expect(again.providerPicked).toBe(true);
    const next = new RecipientChoice(undefined, again.recipients);
    expect([next.mode, next.picked, next.numbersText]).toEqual(["bulk", [11], "0535 000 11 22"]);
  });

  it("the number as typed stays; another one (a contact's button) replaces it, another company unticks", () => {
    const store = new Drafts();
    const d = openSms(store, 1, { company: "3", to: "0532 123 45 67" });
    d.form.to = "0532 123 45 67 ";
    d.recipients.picked = [11];
    openSms(store, 1, { company: "3", to: "0532 123 45 67" });
    expect([d.form.to, d.recipients.picked]).toEqual(["0532 123 45 67 ", [11]]);
    openSms(store, 1, { company: "4", to: "+905339998877" });
    expect([d.form.company, d.form.to, d.recipients.picked]).toEqual(["4", "+905339998877", []]);
  });

  it("queued, the SMS text goes; the sender, company, number, purpose and recipients stay", () => {
    const d = new SmsDraft();
    Object.assign(d.form, {
      provider: "twilio",
      company: "3",
      to: "0532 123 45 67",
      text: "Merhaba",
      purpose: "commercial",
    });
    d.recipients.numbersText = "0535 000 11 22";
    const key = d.key;
    expect(d.sent(key)).toBe(true);
    expect({ ...d.form }).toEqual({
      provider: "twilio",
      company: "3",
      to: "0532 123 45 67",
      text: "",
      purpose: "commercial",
    });
    expect(d.recipients.numbersText).toBe("0535 000 11 22");
    expect(d.key).not.toBe(key);
    expect(d.sent(key)).toBe(false);
  });

  it("'Taslağı temizle' empties the SMS draft but the sender; the form object stays the same", () => {
    const d = new SmsDraft();
    const form = d.form;
    Object.assign(d.form, { provider: "twilio", company: "3", to: "0532 123 45 67", text: "Merhaba" });
    d.form.purpose = "informational";
    d.providerPicked = true;
    d.recipients.mode = "bulk";
    d.recipients.numbersText = "0535 000 11 22";
    expect(d.blank).toBe(false);
    d.clear();
    expect(d.form).toBe(form);
    expect({ ...d.form }).toEqual({ provider: "twilio", company: "", to: "", text: "", purpose: "" });
    expect(d.providerPicked).toBe(true);
    expect(d.blank).toBe(true);
    // A purpose alone is something to clear.
    d.form.purpose = "commercial";
    expect(d.blank).toBe(false);
  });

  it("a WhatsApp draft is still there when the page opens again", () => {
    const store = new Drafts();
    const d = openWhatsapp(store, 1);
    Object.assign(d.form, {
      to: "0532 123 45 67",
      template: "teklif_hatirlatma",
      language: "en",
      params: ["Şule", "12.500 ₺"],
    });
    const again = openWhatsapp(store, 1, { company: "", to: "0532 123 45 67" });
    expect(again.form.template).toBe("teklif_hatirlatma");
    expect(again.form.language).toBe("en");
    expect(again.form.params).toEqual(["Şule", "12.500 ₺"]);
    expect(again.blank).toBe(false);
  });

  it("queued, WhatsApp's parameters' values (template) or its text go; the rest stays", () => {
    const d = new WhatsappDraft();
    Object.assign(d.form, { to: "0532 123 45 67", template: "teklif", params: ["Şule", "5"] });
    expect(d.sent(d.key)).toBe(true);
    expect([d.form.to, d.form.template, d.form.params]).toEqual(["0532 123 45 67", "teklif", ["", ""]]);
    Object.assign(d.form, { mode: "text", text: "Merhaba" });
    expect(d.sent(d.key)).toBe(true);
    expect([d.form.mode, d.form.text, d.form.template]).toEqual(["text", "", "teklif"]);
  });

  it("another workspace: every draft goes, the sender too", () => {
    const store = new Drafts();
    writeCompose(openCompose(store, 1, { company: "3", to: "" }));
    const sms = openSms(store, 1, { company: "3", to: "0532 123 45 67" });
    Object.assign(sms.form, { provider: "twilio", text: "Merhaba" });
    sms.providerPicked = true;
    sms.recipients.numbersText = "0535 000 11 22";
    const wa = openWhatsapp(store, 1, { company: "3", to: "0532 123 45 67" });
    Object.assign(wa.form, { provider: "meta", template: "teklif", params: ["Şule"] });
    const keys = [store.compose.key, sms.key, wa.key];

    // The header's switcher (the target is cleared along: Shell).
    store.reset();
    expect(store.compose.blank).toBe(true);
    expect(store.compose.account).toBe("");
    expect(store.compose.attachments).toEqual([]);
    expect({ ...store.sms.form }).toEqual({ provider: "", company: "", to: "", text: "", purpose: "" });
    expect(store.sms.providerPicked).toBe(false);
    expect(store.sms.blank).toBe(true);
    expect(store.whatsapp.form.provider).toBe("");
    expect(store.whatsapp.blank).toBe(true);
    expect([store.compose.key, sms.key, wa.key].some((k, i) => k === keys[i])).toBe(false);
  });

  it("a composer opened in another workspace drops the drafts written in the last one", () => {
    const store = new Drafts();
    writeCompose(openCompose(store, 1));
    openSms(store, 1).form.text = "Merhaba";
    // Same workspace: kept.
    expect(openCompose(store, 1).subject).toBe("Fiyat teklifi — ğüşıöç");
    // Another one (however it was chosen): gone, all three.
    const d = openCompose(store, 2);
    expect(d.subject).toBe("");
    expect(d.attachments).toEqual([]);
    expect(store.sms.form.text).toBe("");
    // Written in workspace 2, kept there.
    d.subject = "İkinci çalışma alanı";
    expect(openCompose(store, 2).subject).toBe("İkinci çalışma alanı");
  });
});
