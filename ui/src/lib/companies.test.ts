import { afterEach, describe, expect, it, vi } from "vitest";
import {
  canStartImport,
  contactErrorCode,
  debounce,
  decodeCsv,
  fieldLimit,
  looksLikeCsv,
  MAP_FIELDS,
  mappingToSelects,
  progressBar,
  readCsvFile,
  rejectedCode,
  rejectedField,
  selectsToMapping,
  sharedColumns,
  upsertById,
  type MapSelects,
} from "./companies";

const none: MapSelects = { company: "", name: "", email: "", phone: "", notes: "", recipientType: "" };

describe("column mapping", () => {
  it("turns a guessed mapping into select values and back", () => {
    const guess = { company: 0, name: 1, email: 2, phone: null, notes: 4, recipientType: 5 };
    const selects = mappingToSelects(guess, 6);
    expect(selects).toEqual({ company: "0", name: "1", email: "2", phone: "", notes: "4", recipientType: "5" });
    expect(selectsToMapping(selects, 6)).toEqual(guess);
    expect(MAP_FIELDS).toEqual(["company", "name", "email", "phone", "notes", "recipientType"]);
  });

  it("drops columns the file does not have", () => {
    expect(
      mappingToSelects({ company: 3, name: -1, email: 1.5, phone: 0, notes: null, recipientType: null }, 3),
    ).toEqual({ company: "", name: "", email: "", phone: "0", notes: "", recipientType: "" });
    expect(mappingToSelects(null, 3)).toEqual(none);
    expect(selectsToMapping({ ...none, company: "7", name: "x", email: "1" }, 3)).toEqual({
      company: null,
      name: null,
      email: 1,
      phone: null,
      notes: null,
      recipientType: null,
    });
  });

  it("needs the company column to start", () => {
    expect(canStartImport(none, 3)).toBe(false);
    expect(canStartImport({ ...none, name: "0" }, 3)).toBe(false);
    expect(canStartImport({ ...none, company: "0" }, 3)).toBe(true);
    expect(canStartImport({ ...none, company: "3" }, 3)).toBe(false);
  });

  it("names fields that share one column", () => {
    expect(sharedColumns({ company: "0", name: "0", email: "1", phone: "", notes: "", recipientType: "" })).toEqual([
      "company",
      "name",
    ]);
    expect(sharedColumns({ ...none, company: "0", email: "1" })).toEqual([]);
    expect(sharedColumns(none)).toEqual([]);
  });
});

describe("progress", () => {
  it("keeps value within a positive max", () => {
    expect(progressBar(0, 0)).toEqual({ value: 0, max: 1 });
    expect(progressBar(50, 200)).toEqual({ value: 50, max: 200 });
    expect(progressBar(250, 200)).toEqual({ value: 200, max: 200 });
    expect(progressBar(-3, 10)).toEqual({ value: 0, max: 10 });
  });
});

describe("rejected rows", () => {
  it("finds the field from the code or the backend's reason", () => {
    expect(rejectedField({ code: "validation.required", reason: "company: company is required" })).toBe(
      "company",
    );
    expect(rejectedField({ code: "validation.email", reason: "email is not a valid e-mail address" })).toBe(
      "email",
    );
    expect(rejectedField({ code: "validation.phone", reason: '"12" is not a phone number' })).toBe("phone");
    expect(rejectedField({ code: "crm.duplicate_contact", reason: "a@b.com appears twice for X" })).toBe(
      "email",
    );
    expect(rejectedField({ code: "store.database", reason: "disk I/O" })).toBeNull();
    expect(rejectedField({ code: "validation.too_long", reason: "names are long" })).toBeNull();
  });

  it("says 'e-mail or phone' when the backend calls the e-mail required", () => {
    expect(rejectedCode({ code: "validation.required", reason: "email is required" })).toBe(
      "validation.email_or_phone",
    );
    expect(rejectedCode({ code: "validation.required", reason: "name is required" })).toBe(
      "validation.required",
    );
    expect(contactErrorCode("validation.required", "email")).toBe("validation.email_or_phone");
    expect(contactErrorCode("validation.required", "name")).toBe("validation.required");
    expect(contactErrorCode("validation.email", "email")).toBe("validation.email");
  });

  it("knows each field's limit", () => {
    expect(fieldLimit("company")).toBe(200);
    expect(fieldLimit("name")).toBe(200);
    expect(fieldLimit("email")).toBe(254);
    expect(fieldLimit("phone")).toBe(40);
    expect(fieldLimit(null)).toBeUndefined();
  });
});

describe("files", () => {
  it("accepts CSV by name or type", () => {
    expect(looksLikeCsv({ name: "kisiler.csv", type: "" })).toBe(true);
    expect(looksLikeCsv({ name: "KISILER.CSV", type: "" })).toBe(true);
    expect(looksLikeCsv({ name: "export", type: "text/csv" })).toBe(true);
    expect(looksLikeCsv({ name: "liste.xlsx", type: "application/vnd.openxmlformats" })).toBe(false);
    expect(looksLikeCsv({ name: "foto.png", type: "image/png" })).toBe(false);
  });

  it("reads UTF-8 (with BOM) and falls back to Windows-1254", () => {
    const utf8 = new TextEncoder().encode("\uFEFFFirma;Şehir\nIşık;İzmir\n");
    expect(decodeCsv(utf8)).toBe("Firma;Şehir\nIşık;İzmir\n");
    // "Şişli" in Windows-1254: Ş=0xDE, ş=0xFE.
    const legacy = new Uint8Array([0xde, 0x69, 0xfe, 0x6c, 0x69]);
    expect(decodeCsv(legacy)).toBe("Şişli");
  });

  it("reads a picked file as UTF-8, or again as Windows-1254 when that does not decode", async () => {
    const utf8 = new Blob([new TextEncoder().encode("değer\nçağla@örnek.com.tr\n")]);
    expect(await readCsvFile(utf8)).toBe("değer\nçağla@örnek.com.tr\n");
    const legacy = new Blob([new Uint8Array([0xde, 0x69, 0xfe, 0x6c, 0x69])]);
    expect(await readCsvFile(legacy)).toBe("Şişli");
  });
});

describe("lists", () => {
  it("replaces by id or appends", () => {
    const list = [
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ];
    expect(upsertById(list, { id: 2, name: "B" })).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "B" },
    ]);
    expect(upsertById(list, { id: 3, name: "c" })).toHaveLength(3);
    expect(list[1]?.name).toBe("b");
  });
});

describe("debounce", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs once, with the last arguments, after the calls stop", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 200);
    d("a");
    vi.advanceTimersByTime(150);
    d("ab");
    vi.advanceTimersByTime(150);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith("ab");
  });

  it("can be cancelled", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 200);
    d();
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
    d();
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
