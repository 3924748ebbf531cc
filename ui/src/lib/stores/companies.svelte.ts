// The customer companies and their contacts: the lists the pages show, saving and
// deleting them, and the CSV import that adds both.

import { Channel } from "@tauri-apps/api/core";
import { call, commands, type CmdResult } from "../api";
import type {
  Company,
  CompanyInput,
  Contact,
  ContactInput,
  ErrorPayload,
  ImportReport,
  Mapping,
} from "../bindings";
import { upsertById } from "../companies";

/** The company list (one search at a time: an older answer never replaces a newer one). */
export class CompaniesStore {
  items = $state<Company[]>([]);
  /** True until the first answer; a later search keeps showing the list it had. */
  loading = $state(true);
  /** Why the last read failed; kept until an answer replaces it. */
  error = $state<ErrorPayload | null>(null);
  #seq = 0;

  /**
   * Reads the companies (`search` null: all of them). `clearError` forgets the last
   * failure as the read starts. Null when a newer read (or `close`) made this one moot.
   */
  async load(
    search: string | null = null,
    { clearError = false }: { clearError?: boolean } = {},
  ): Promise<CmdResult<Company[]> | null> {
    const mine = ++this.#seq;
    if (clearError) this.error = null;
    const res = await call(() => commands.listCompanies(search));
    if (mine !== this.#seq) return null; // a newer search is on its way
    this.loading = false;
    if (res.status === "ok") {
      this.error = null;
      this.items = res.data;
    } else {
      this.error = res.error;
    }
    return res;
  }

  /** Creates (`id` null) or updates a company; the list is the caller's to update. */
  save(id: number | null, input: CompanyInput): Promise<CmdResult<Company>> {
    return call(() =>
      id === null ? commands.createCompany(input) : commands.updateCompany(id, input),
    );
  }

  /** Deletes a company; gone from the list once deleted, or found already gone. */
  async remove(id: number): Promise<CmdResult<null>> {
    const res = await call(() => commands.deleteCompany(id));
    if (res.status === "ok" || res.error.code === "crm.company_not_found") this.drop(id);
    return res;
  }

  /** Puts a saved company into the list (replacing its old self). */
  upsert(company: Company): void {
    this.items = upsertById(this.items, company);
  }

  drop(id: number): void {
    this.items = this.items.filter((c) => c.id !== id);
  }

  /** Keeps a company's contact count in step with the contacts shown. */
  setContactCount(id: number, count: number): void {
    this.items = this.items.map((c) => (c.id === id ? { ...c, contactCount: count } : c));
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#seq++;
  }
}

/** One company's contacts (an older read never replaces a newer one). */
export class ContactsStore {
  items = $state<Contact[]>([]);
  loading = $state(false);
  error = $state<ErrorPayload | null>(null);
  #seq = 0;

  /** `loading`: what to show before the first read starts. */
  constructor({ loading = false }: { loading?: boolean } = {}) {
    this.loading = loading;
  }

  /** Reads a company's contacts (again); null when a newer read or `clear` made it moot. */
  async load(companyId: number): Promise<CmdResult<Contact[]> | null> {
    const mine = ++this.#seq;
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.listContacts(companyId));
    if (mine !== this.#seq) return null;
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /** Another company: none of the old contacts shown while its own are read. */
  open(companyId: number): Promise<CmdResult<Contact[]> | null> {
    this.items = [];
    return this.load(companyId);
  }

  /** No company: no contacts, nothing loading, and a read on its way is dropped. */
  clear(): void {
    this.#seq++;
    this.items = [];
    this.loading = false;
    this.error = null;
  }

  /** A company just created: it has no contacts. */
  setEmpty(): void {
    this.items = [];
    this.loading = false;
    this.error = null;
  }

  /** Creates (`id` null) or updates a contact; the list is the caller's to update. */
  save(companyId: number, id: number | null, input: ContactInput): Promise<CmdResult<Contact>> {
    return call(() =>
      id === null ? commands.createContact(companyId, input) : commands.updateContact(id, input),
    );
  }

  /** Deletes a contact; gone from the list once deleted, or found already gone. */
  async remove(id: number): Promise<CmdResult<null>> {
    const res = await call(() => commands.deleteContact(id));
    if (res.status === "ok" || res.error.code === "crm.contact_not_found") {
      this.items = this.items.filter((c) => c.id !== id);
    }
    return res;
  }

  /** Puts a saved contact into the list (replacing its old self). */
  upsert(contact: Contact): void {
    this.items = upsertById(this.items, contact);
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#seq++;
  }
}

/** A CSV import: the file's columns first, then the import with its progress. */
export class CsvImport {
  /** Rows done of the total while the import runs; all of them once it is over. */
  progress = $state({ done: 0, total: 0 });

  /** The header row and the column mapping guessed from it. */
  preview(csv: string): Promise<CmdResult<[string[], Mapping]>> {
    return call(() => commands.previewImport(csv));
  }

  async run(csv: string, mapping: Mapping | null): Promise<CmdResult<ImportReport>> {
    this.progress = { done: 0, total: 0 };
    const res = await call(async () => {
      const channel = new Channel<[number, number]>();
      channel.onmessage = ([done, total]) => {
        this.progress = { done, total };
      };
      return commands.importContacts(csv, mapping, channel);
    });
    if (res.status === "ok") this.progress = { done: res.data.rows, total: res.data.rows };
    return res;
  }
}
