// Pure helpers for the Companies page: the import dialog's column mapping, progress,
// rejected-row reasons, CSV decoding, list updates and a debounce.

import type { ErrorCode, Mapping, Rejected } from "./bindings";
import { LIMITS } from "./validation";

/** The import's target fields, in the mapping table's order; `company` is required. */
export const MAP_FIELDS = ["company", "name", "email", "phone", "notes", "recipientType"] as const;
export type MapField = (typeof MAP_FIELDS)[number];

/** One select per target field: "" for "none", else the column index as text. */
export type MapSelects = Record<MapField, string>;

function columnValue(index: number | null | undefined, columns: number): string {
  return typeof index === "number" && Number.isInteger(index) && index >= 0 && index < columns
    ? String(index)
    : "";
}

function columnIndex(value: string, columns: number): number | null {
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n < columns ? n : null;
}

/** The selects' values for a (guessed) mapping; columns out of range become "none". */
export function mappingToSelects(mapping: Mapping | null, columns: number): MapSelects {
  const out = {} as MapSelects;
  for (const f of MAP_FIELDS) out[f] = columnValue(mapping?.[f], columns);
  return out;
}

/** The mapping to send from the selects' values. */
export function selectsToMapping(selects: MapSelects, columns: number): Mapping {
  const out = {} as Mapping;
  for (const f of MAP_FIELDS) out[f] = columnIndex(selects[f], columns);
  return out;
}

/** The import can start once a column holds the company name. */
export function canStartImport(selects: MapSelects, columns: number): boolean {
  return selectsToMapping(selects, columns).company !== null;
}

/** Target fields that share a column with another field (likely a mistake). */
export function sharedColumns(selects: MapSelects): MapField[] {
  const count = new Map<string, number>();
  for (const f of MAP_FIELDS) {
    const v = selects[f];
    if (v !== "") count.set(v, (count.get(v) ?? 0) + 1);
  }
  return MAP_FIELDS.filter((f) => selects[f] !== "" && (count.get(selects[f]) ?? 0) > 1);
}

/** Values for `<progress>`: `max` must be positive, `value` within it. */
export function progressBar(done: number, total: number): { value: number; max: number } {
  const max = Math.max(total, 1);
  const value = total <= 0 ? 0 : Math.min(Math.max(done, 0), total);
  return { value, max };
}

/** The row field a rejected row is about, read from its code and the backend's reason. */
export function rejectedField(row: Pick<Rejected, "code" | "reason">): MapField | null {
  if (row.code === "validation.phone") return "phone";
  if (row.code === "crm.duplicate_contact") return "email";
  const m = /^(company|name|email|phone|notes)\b/.exec(row.reason.trim());
  return m ? (m[1] as MapField) : null;
}

const FIELD_LIMIT: Record<MapField, number> = {
  company: LIMITS.companyName,
  name: LIMITS.contactName,
  email: LIMITS.contactEmail,
  phone: LIMITS.phone,
  notes: LIMITS.notes,
  // BIREYSEL or TACIR.
  recipientType: 8,
};

/** The length limit of a company or contact field, to fill `{max}` in hints. */
export function fieldLimit(field: MapField | null): number | undefined {
  return field ? FIELD_LIMIT[field] : undefined;
}

/**
 * The backend reports "neither e-mail nor phone" as `validation.required` on `email`
 * (the e-mail itself is optional): say what is really missing.
 */
export function contactErrorCode(code: ErrorCode, field: string | null | undefined): ErrorCode {
  return code === "validation.required" && field === "email" ? "validation.email_or_phone" : code;
}

/** The code to translate a rejected row by. */
export function rejectedCode(row: Pick<Rejected, "code" | "reason">): ErrorCode {
  return contactErrorCode(row.code, rejectedField(row));
}

/** Only a hint to the file picker is not enough: refuse what is plainly not CSV. */
export function looksLikeCsv(file: { name: string; type: string }): boolean {
  const type = file.type.toLowerCase();
  return (
    /\.(csv|txt)$/i.test(file.name) ||
    type === "text/csv" ||
    type === "text/plain" ||
    type === "application/csv" ||
    type === "application/vnd.ms-excel"
  );
}

/**
 * CSV text from a file's bytes: UTF-8 (BOM allowed), or Windows-1254 as older
 * Turkish Excel versions save it.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1254").decode(bytes);
  }
}

/**
 * A picked CSV file's text, as it is sent to the backend: read as UTF-8, or, when that
 * does not decode (older Turkish Excel saves Windows-1254), its bytes decoded again.
 * Used by the companies' import dialog and Engelleme Listesi's import.
 */
export async function readCsvFile(file: Pick<Blob, "text" | "arrayBuffer">): Promise<string> {
  const text = await file.text();
  return text.includes("\uFFFD") ? decodeCsv(new Uint8Array(await file.arrayBuffer())) : text;
}

/** Replaces the item with the same id, or appends it. */
export function upsertById<T extends { id: number }>(list: readonly T[], item: T): T[] {
  const at = list.findIndex((x) => x.id === item.id);
  if (at < 0) return [...list, item];
  const out = [...list];
  out[at] = item;
  return out;
}

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
}

/** Runs `fn` once calls have stopped for `ms`, with the last call's arguments. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (...args: A): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  run.cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return run;
}
