// Who a composer sends to: one number (the page's own field) or, in the bulk mode, the
// chosen company's ticked contacts and the pasted numbers, each number once. Shared by
// SMS Gönder and WhatsApp Gönder; pages/compose/BulkRecipients.svelte shows it.

import type { Contact } from "../bindings";
import type { FieldIssue } from "../validation";
import {
  bulkRecipients,
  checkNumbers,
  lineOf,
  validateRecipients,
  type CheckedNumbers,
  type RecipientMode,
} from "../recipients";
import { ContactsStore } from "./companies.svelte";

/**
 * What was chosen: the mode, the ticked contacts and the pasted numbers. A composer's
 * draft (./drafts.svelte) keeps one, so that it outlives the page.
 */
export class RecipientDraft {
  mode = $state<RecipientMode>("single");
  /** The ticked contacts' ids. */
  picked = $state<number[]>([]);
  /** The pasted numbers as typed. */
  numbersText = $state("");

  /** Back to one number, nothing ticked, nothing pasted. */
  clear(): void {
    this.mode = "single";
    this.picked = [];
    this.numbersText = "";
  }
}

export class RecipientChoice {
  /** The chosen company's contacts, read while the bulk mode is on. */
  readonly contacts: ContactsStore;
  /** The choice itself (the page's draft's, or one of its own). */
  readonly draft: RecipientDraft;

  constructor(contacts: ContactsStore = new ContactsStore(), draft: RecipientDraft = new RecipientDraft()) {
    this.contacts = contacts;
    this.draft = draft;
  }

  get mode(): RecipientMode {
    return this.draft.mode;
  }

  set mode(mode: RecipientMode) {
    this.draft.mode = mode;
  }

  /** The ticked contacts' ids. */
  get picked(): number[] {
    return this.draft.picked;
  }

  set picked(ids: number[]) {
    this.draft.picked = ids;
  }

  /** The pasted numbers as typed. */
  get numbersText(): string {
    return this.draft.numbersText;
  }

  set numbersText(text: string) {
    this.draft.numbersText = text;
  }

  get bulk(): boolean {
    return this.mode === "bulk";
  }

  /** The contacts that can be sent to: those with a phone. */
  get phoned(): Contact[] {
    return this.contacts.items.filter((c) => c.phone.trim() !== "");
  }

  /** How many of the company's contacts are not listed, having no phone. */
  get withoutPhone(): number {
    return this.contacts.items.length - this.phoned.length;
  }

  get pickedContacts(): Contact[] {
    return this.phoned.filter((c) => this.picked.includes(c.id));
  }

  /** Every contact with a phone is ticked (and there is one). */
  get allPicked(): boolean {
    const phoned = this.phoned.length;
    return phoned > 0 && this.pickedContacts.length === phoned;
  }

  /** Some ticked, not all: the "all" box shows a dash. */
  get somePicked(): boolean {
    const picked = this.pickedContacts.length;
    return picked > 0 && picked < this.phoned.length;
  }

  /** The pasted numbers, split and checked by line. */
  get checked(): CheckedNumbers {
    return checkNumbers(this.numbersText);
  }

  /** Who the bulk send goes to: the ticked contacts, then the pasted numbers; each once. */
  get recipients(): string[] {
    return bulkRecipients(
      this.pickedContacts.map((c) => c.phone),
      this.checked.numbers,
    );
  }

  /** A pasted line that is not a number, else none chosen; null when the send can go. */
  get issue(): FieldIssue | null {
    return validateRecipients(this.recipients, this.checked.bad.length);
  }

  /** The pasted line that holds `value` (a number the backend refused), or null. */
  lineOf(value: string): number | null {
    return lineOf(this.numbersText, value);
  }

  pick(id: number, on: boolean): void {
    const others = this.picked.filter((x) => x !== id);
    this.picked = on ? [...others, id] : others;
  }

  pickAll(on: boolean): void {
    this.picked = on ? this.phoned.map((c) => c.id) : [];
  }

  /** Reads the company's contacts (a new company: none ticked), or shows none for null. */
  follow(companyId: number | null): void {
    if (companyId === null) this.contacts.clear();
    else void this.contacts.open(companyId);
  }

  /** Reads the company's contacts again (after a failed read). */
  reload(companyId: number): void {
    void this.contacts.load(companyId);
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.contacts.close();
  }
}
