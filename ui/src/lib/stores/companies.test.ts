import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Company, Contact, ImportReport } from "../bindings";
import { CompaniesStore, ContactsStore, CsvImport } from "./companies.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  listCompanies: vi.fn(),
  createCompany: vi.fn(),
  updateCompany: vi.fn(),
  deleteCompany: vi.fn(),
  listContacts: vi.fn(),
  createContact: vi.fn(),
  updateContact: vi.fn(),
  deleteContact: vi.fn(),
  previewImport: vi.fn(),
  importContacts: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

// Outside Tauri a real Channel cannot be made; this one only carries `onmessage`.
vi.mock("@tauri-apps/api/core", async (original) => ({
  ...(await original<object>()),
  Channel: class {
    onmessage: (message: unknown) => void = () => {};
  },
}));

installRunes();

function company(id: number, name = `Firma ${id}`, contactCount = 0): Company {
  return { id, workspaceId: 1, name, notes: "", contactCount, createdAt: "", updatedAt: "" };
}

function contact(id: number, companyId = 1): Contact {
  return {
    id,
    workspaceId: 1,
    companyId,
    name: `Kişi ${id}`,
    email: `k${id}@firma.com.tr`,
    phone: "",
    notes: "",
    recipientType: "TACIR",
    createdAt: "",
    updatedAt: "",
  };
}

const ids = (list: readonly { id: number }[]): number[] => list.map((x) => x.id);

beforeEach(() => {
  vi.resetAllMocks();
});

describe("CompaniesStore", () => {
  it("shows the newest search's answer, whatever order the answers come in", async () => {
    const store = new CompaniesStore();
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    commands.listCompanies.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const older = store.load(null);
    const newer = store.load("acme");
    expect(commands.listCompanies.mock.calls).toEqual([[null], ["acme"]]);
    second.resolve(ok([company(2, "Acme")]));
    expect(await newer).toEqual(ok([company(2, "Acme")]));
    first.resolve(ok([company(1), company(2, "Acme")]));
    expect(await older).toBeNull();
    expect(ids(store.items)).toEqual([2]);
    expect(store.loading).toBe(false);
  });

  it("is loading until the first answer only, and keeps an error until an answer replaces it", async () => {
    const store = new CompaniesStore();
    expect(store.loading).toBe(true);
    commands.listCompanies.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.loading).toBe(false);
    expect(store.error?.code).toBe("store.not_open");

    const next = deferred<unknown>();
    commands.listCompanies.mockReturnValueOnce(next.promise);
    const reading = store.load();
    expect(store.loading).toBe(false);
    expect(store.error?.code).toBe("store.not_open"); // still shown while reading again
    next.resolve(ok([company(1)]));
    await reading;
    expect(store.error).toBeNull();
    expect(ids(store.items)).toEqual([1]);
  });

  it("forgets the last error as a read starts when asked to", async () => {
    const store = new CompaniesStore();
    commands.listCompanies.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    const next = deferred<unknown>();
    commands.listCompanies.mockReturnValueOnce(next.promise);
    const reading = store.load(null, { clearError: true });
    expect(store.error).toBeNull();
    next.resolve(ok([]));
    await reading;
  });

  it("drops answers that come after close", async () => {
    const store = new CompaniesStore();
    const answer = deferred<unknown>();
    commands.listCompanies.mockReturnValueOnce(answer.promise);
    const reading = store.load();
    store.close();
    answer.resolve(ok([company(1)]));
    expect(await reading).toBeNull();
    expect(store.items).toEqual([]);
  });

  it("saves new and changed companies without touching the list", async () => {
    const store = new CompaniesStore();
    const input = { name: "Acme", notes: "" };
    commands.createCompany.mockResolvedValueOnce(ok(company(5, "Acme")));
    commands.updateCompany.mockResolvedValueOnce(ok(company(5, "Acme")));
    await store.save(null, input);
    await store.save(5, input);
    expect(commands.createCompany).toHaveBeenCalledWith(input);
    expect(commands.updateCompany).toHaveBeenCalledWith(5, input);
    expect(store.items).toEqual([]);
  });

  it("drops a deleted company, also one found already gone, but not on other errors", async () => {
    const store = new CompaniesStore();
    commands.listCompanies.mockResolvedValueOnce(ok([company(1), company(2), company(3)]));
    await store.load();
    commands.deleteCompany.mockResolvedValueOnce(ok(null));
    await store.remove(1);
    commands.deleteCompany.mockResolvedValueOnce(failed("crm.company_not_found"));
    await store.remove(2);
    commands.deleteCompany.mockResolvedValueOnce(failed("internal"));
    await store.remove(3);
    expect(ids(store.items)).toEqual([3]);
  });

  it("puts a saved company in place and keeps contact counts in step", async () => {
    const store = new CompaniesStore();
    commands.listCompanies.mockResolvedValueOnce(ok([company(1), company(2)]));
    await store.load();
    store.upsert(company(2, "Yeni Ad"));
    store.upsert(company(3));
    expect(store.items.map((c) => c.name)).toEqual(["Firma 1", "Yeni Ad", "Firma 3"]);
    store.setContactCount(1, 4);
    expect(store.items.map((c) => c.contactCount)).toEqual([4, 0, 0]);
  });
});

describe("ContactsStore", () => {
  it("loads a company's contacts, showing none of the last company's meanwhile", async () => {
    const store = new ContactsStore();
    commands.listContacts.mockResolvedValueOnce(ok([contact(1)]));
    await store.load(1);
    const answer = deferred<unknown>();
    commands.listContacts.mockReturnValueOnce(answer.promise);
    const opening = store.open(2);
    expect(store.items).toEqual([]);
    expect(store.loading).toBe(true);
    expect(commands.listContacts).toHaveBeenLastCalledWith(2);
    answer.resolve(ok([contact(7, 2)]));
    await opening;
    expect(store.loading).toBe(false);
    expect(ids(store.items)).toEqual([7]);
  });

  it("starts loading or not, as asked", () => {
    expect(new ContactsStore().loading).toBe(false);
    expect(new ContactsStore({ loading: true }).loading).toBe(true);
  });

  it("drops a read on its way when cleared, but not when only emptied", async () => {
    const store = new ContactsStore();
    const dropped = deferred<unknown>();
    commands.listContacts.mockReturnValueOnce(dropped.promise);
    const reading = store.load(1);
    store.clear();
    expect(store.loading).toBe(false);
    dropped.resolve(ok([contact(1)]));
    expect(await reading).toBeNull();
    expect(store.items).toEqual([]);

    const kept = deferred<unknown>();
    commands.listContacts.mockReturnValueOnce(kept.promise);
    const again = store.load(1);
    store.setEmpty();
    expect(store.loading).toBe(false);
    kept.resolve(ok([contact(1)]));
    await again;
    expect(ids(store.items)).toEqual([1]);
  });

  it("gives the error of a failed read", async () => {
    const store = new ContactsStore();
    commands.listContacts.mockResolvedValueOnce(failed("crm.company_not_found"));
    await store.load(1);
    expect(store.error?.code).toBe("crm.company_not_found");
    expect(store.loading).toBe(false);
  });

  it("saves new and changed contacts; upsert puts them in the list", async () => {
    const store = new ContactsStore();
    const input = { name: "Ayşe", email: "ayse@firma.com.tr", phone: "", notes: "" };
    commands.createContact.mockResolvedValueOnce(ok(contact(3)));
    commands.updateContact.mockResolvedValueOnce(ok(contact(3)));
    await store.save(1, null, input);
    await store.save(1, 3, input);
    expect(commands.createContact).toHaveBeenCalledWith(1, input);
    expect(commands.updateContact).toHaveBeenCalledWith(3, input);
    expect(store.items).toEqual([]);
    store.upsert(contact(3));
    store.upsert(contact(3));
    expect(ids(store.items)).toEqual([3]);
  });

  it("drops a deleted contact, also one found already gone, but not on other errors", async () => {
    const store = new ContactsStore();
    commands.listContacts.mockResolvedValueOnce(ok([contact(1), contact(2), contact(3)]));
    await store.load(1);
    commands.deleteContact.mockResolvedValueOnce(ok(null));
    await store.remove(1);
    commands.deleteContact.mockResolvedValueOnce(failed("crm.contact_not_found"));
    await store.remove(2);
    commands.deleteContact.mockResolvedValueOnce(failed("internal"));
    expect((await store.remove(3)).status).toBe("error");
    expect(ids(store.items)).toEqual([3]);
  });
});

describe("CsvImport", () => {
  const report: ImportReport = { rows: 3, contactsAdded: 2, companiesAdded: 1, rejected: [] };

  it("follows the import's progress and ends with every row done", async () => {
    const importer = new CsvImport();
    importer.progress = { done: 9, total: 9 }; // a former run
    const answer = deferred<unknown>();
    let channel: { onmessage: (m: [number, number]) => void } | undefined;
    commands.importContacts.mockImplementationOnce((_csv, _mapping, progress) => {
      channel = progress;
      return answer.promise;
    });
    const mapping = { company: 0, name: 1, email: 2, phone: null, notes: null };
    const running = importer.run("firma,ad,e-posta\n", mapping);
    expect(importer.progress).toEqual({ done: 0, total: 0 });
    await settle();
    expect(commands.importContacts).toHaveBeenCalledWith("firma,ad,e-posta\n", mapping, channel);
    channel?.onmessage([1, 3]);
    expect(importer.progress).toEqual({ done: 1, total: 3 });
    answer.resolve(ok(report));
    expect(await running).toEqual(ok(report));
    expect(importer.progress).toEqual({ done: 3, total: 3 });
  });

  it("keeps the progress shown when the import fails", async () => {
    const importer = new CsvImport();
    commands.importContacts.mockImplementationOnce(async (_csv, _mapping, progress) => {
      progress.onmessage([2, 5]);
      return failed("import.bad_csv");
    });
    expect(await importer.run("x", null)).toEqual(failed("import.bad_csv"));
    expect(importer.progress).toEqual({ done: 2, total: 5 });
  });

  it("asks for the columns of a file", async () => {
    const importer = new CsvImport();
    commands.previewImport.mockResolvedValueOnce(ok([["firma"], { company: 0 }]));
    expect((await importer.preview("firma\n")).status).toBe("ok");
    expect(commands.previewImport).toHaveBeenCalledWith("firma\n");
  });
});
