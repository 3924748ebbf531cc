// The composers' drafts: what is written on E-posta Oluştur, SMS Gönder and WhatsApp
// Gönder. The pages keep it here rather than in themselves, so that it is still there
// after another page was opened in between; it lives as long as the window.
//
// A draft goes (back to an empty form, as the page resets it today) only when its
// message was queued (`sent`), when the user clears it (`clear`: the page's "Taslağı
// temizle") or when another workspace is chosen (`drafts.reset`: its companies,
// contacts and accounts are other ones). Nothing here reaches the backend.
//
// The company and the phone number are also the shared target's (./target.svelte): a
// composer takes them from it when it opens (`adopt`), as before.

import { isBlankHtml, newIdempotencyKey, type Attached } from "../compose";
import { emptySmsForm, type SmsForm } from "../sms";
import { emptyWhatsappForm, type WhatsappForm } from "../whatsapp";
import { RecipientDraft } from "./recipients.svelte";

/** What a composer takes from the shared target when it opens. */
export interface TargetChoice {
  /** The company's id as text; "" for none. */
  company: string;
  /** The number to write to; "" for none. */
  to: string;
}

/** E-posta Oluştur's draft. */
export class ComposeDraft {
  /** The company's id as text; "" for none. */
  company = $state("");
  /** An account's id as text, or SANDBOX; "" until the accounts are read. */
  account = $state("");
  /** The chosen template's id as text, "" for none, and the name to save it under. */
  template = $state("");
  templateName = $state("");
  /** The address boxes' raw text. */
  to = $state("");
  cc = $state("");
  bcc = $state("");
  /** Cc and Bcc opened by the user. */
  showCc = $state(false);
  subject = $state("");
  /** The editor's innerHTML. */
  bodyHtml = $state("");
  separate = $state(false);
  /**
   * "Cc/Bcc her iletiye eklensin": in a separate send, Cc and Bcc get a copy of every
   * message (sent only while the box shows: lib/compose's copiesEachShown).
   */
  copiesEach = $state(false);
  /** The files added, as read (their contents in base64). */
  attachments = $state.raw<Attached[]>([]);
  /** "Daha sonra gönder" is ticked: the message waits for `sendAt`. */
  scheduled = $state(false);
  /** The time to send it: the datetime-local input's raw value (`YYYY-MM-DDTHH:MM`). */
  sendAt = $state("");
  /** One key per draft: a second click (or a retried call) queues nothing twice. */
  key = newIdempotencyKey();

  /** The company chosen on another composer (or a contact's button) comes along. */
  adopt(target: TargetChoice): void {
    this.company = target.company;
  }

  /** A new key (the backend said the old one was used already). */
  renewKey(): void {
    this.key = newIdempotencyKey();
  }

  /**
   * Queued with `key`: what was written goes (and the time it was scheduled for); the
   * company, the account and "separate" stay. Nothing changes (false) when the draft was cleared since (it has another key).
   */
  sent(key: string): boolean {
    if (key !== this.key) return false;
    this.#wipe();
    return true;
  }

  #wipe(): void {
    this.to = "";
    this.cc = "";
    this.bcc = "";
    this.copiesEach = false;
    this.showCc = false;
    this.subject = "";
    this.bodyHtml = "";
    this.attachments = [];
    this.scheduled = false;
    this.sendAt = "";
    this.template = "";
    this.templateName = "";
    this.renewKey();
  }

  /** "Taslağı temizle": all of it goes but the account it is sent from. */
  clear(): void {
    this.#wipe();
    this.company = "";
    this.separate = false;
  }

  /** Another workspace: the account goes too. */
  reset(): void {
    this.clear();
    this.account = "";
  }

  /** Nothing written or chosen (the account aside): there is nothing to clear. */
  get blank(): boolean {
    return (
      this.company === "" &&
      this.template === "" &&
      this.templateName.trim() === "" &&
      this.to.trim() === "" &&
      this.cc.trim() === "" &&
      this.bcc.trim() === "" &&
      this.subject === "" &&
      isBlankHtml(this.bodyHtml) &&
      this.attachments.length === 0 &&
      !this.separate &&
      !this.scheduled &&
      this.sendAt === ""
    );
  }
}

/** What SMS Gönder and WhatsApp Gönder share: the form, the bulk recipients, the sender. */
abstract class PhoneDraft<F extends { provider: string; company: string; to: string }> {
  /** The form's fields (the page binds them; the object itself is never replaced). */
  abstract form: F;
  /** The bulk mode's choice: the mode, the ticked contacts, the pasted numbers. */
  readonly recipients = new RecipientDraft();
  /** The sender was picked by hand: the list arriving later does not change it. */
  providerPicked = false;
  /** One key per draft: a second click (or a retried call) queues nothing twice. */
  key = newIdempotencyKey();

  protected abstract empty(): F;

  /**
   * The company and number chosen on another composer (or a contact's button) come
   * along; another company unticks its contacts.
   */
  adopt(target: TargetChoice): void {
    if (this.form.company !== target.company) {
      this.form.company = target.company;
      this.recipients.picked = [];
    }
    if (this.form.to.trim() !== target.to) this.form.to = target.to;
  }

  renewKey(): void {
    this.key = newIdempotencyKey();
  }

  /** "Taslağı temizle": all of it goes but the sender. */
  clear(): void {
    Object.assign(this.form, { ...this.empty(), provider: this.form.provider });
    this.recipients.clear();
    this.renewKey();
  }

  /** Another workspace: the sender goes too (its integrations are other ones). */
  reset(): void {
    Object.assign(this.form, this.empty());
    this.recipients.clear();
    this.providerPicked = false;
    this.renewKey();
  }
}

/** SMS Gönder's draft. */
export class SmsDraft extends PhoneDraft<SmsForm> {
  form = $state<SmsForm>(emptySmsForm());

  protected empty(): SmsForm {
    return emptySmsForm();
  }

  /**
   * Queued with `key`: the text goes; the sender, the company, the recipients and the
   * purpose (commercial or informational) stay.
   * Nothing changes (false) when the draft was cleared since (it has another key).
   */
  sent(key: string): boolean {
    if (key !== this.key) return false;
    this.form.text = "";
    this.renewKey();
    return true;
  }

  /** Nothing written or chosen (the sender aside): there is nothing to clear. */
  get blank(): boolean {
    const f = this.form;
    return (
      f.company === "" &&
      f.to.trim() === "" &&
      f.text === "" &&
      f.purpose === "" &&
      blankRecipients(this.recipients)
    );
  }
}

/** WhatsApp Gönder's draft. */
export class WhatsappDraft extends PhoneDraft<WhatsappForm> {
  form = $state<WhatsappForm>(emptyWhatsappForm());

  protected empty(): WhatsappForm {
    return emptyWhatsappForm();
  }

  /**
   * Queued with `key`: what was said goes (the text, or the template's parameters'
   * values); the number, the template and its language stay for the next one. Nothing
   * changes (false) when the draft was cleared since (it has another key).
   */
  sent(key: string): boolean {
    if (key !== this.key) return false;
    if (this.form.mode === "text") this.form.text = "";
    else this.form.params = this.form.params.map(() => "");
    this.renewKey();
    return true;
  }

  /** Nothing written or chosen (the sender aside): there is nothing to clear. */
  get blank(): boolean {
    const f = this.form;
    const e = emptyWhatsappForm();
    return (
      f.company === "" &&
      f.to.trim() === "" &&
      f.mode === e.mode &&
      f.template === "" &&
      f.language === e.language &&
      f.params.length === 0 &&
      f.text === "" &&
      blankRecipients(this.recipients)
    );
  }
}

/** The three drafts, and the workspace they were written in. */
export class Drafts {
  readonly compose = new ComposeDraft();
  readonly sms = new SmsDraft();
  readonly whatsapp = new WhatsappDraft();
  #workspaceId: number | null = null;

  /**
   * A composer opens in workspace `id`: drafts written in another one are dropped (the
   * header's switcher drops them already; this holds whatever way the workspace changed).
   */
  claim(id: number): void {
    if (this.#workspaceId !== null && this.#workspaceId !== id) this.reset();
    this.#workspaceId = id;
  }

  /** Another workspace was chosen: every draft goes. */
  reset(): void {
    this.compose.reset();
    this.sms.reset();
    this.whatsapp.reset();
  }
}

function blankRecipients(r: RecipientDraft): boolean {
  return r.mode === "single" && r.picked.length === 0 && r.numbersText.trim() === "";
}

/** The window's drafts. */
export const drafts = new Drafts();
