// Google E-Tablolar (Google Sheets) without Svelte: the spreadsheet's id in what the user
// pasted (as ulak-channels' sheets::spreadsheet_id reads it), where an export goes
// (Target), and what the export panel shows for the backend's answer.

import type { ErrorPayload, Target } from "./bindings";
import type { UiError } from "./i18n";

/** The backend's field for the spreadsheet's address (`sheets.bad_spreadsheet`). */
export const SPREADSHEET_FIELD = "spreadsheet";

/** `…/spreadsheets/d/<id>/…`, also a signed-in account's `…/spreadsheets/u/1/d/<id>/…`. */
const ADDRESS = /\/spreadsheets\/(?:u\/\d+\/)?d\/([^/?#]*)/;
const ID = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * The spreadsheet's id in its address (`https://docs.google.com/spreadsheets/d/<id>/edit`)
 * or the id itself; null when it is neither (an empty text too).
 */
export function spreadsheetId(input: string): string | null {
  const s = input.trim();
  const id = s.includes("/spreadsheets/") ? (ADDRESS.exec(s)?.[1] ?? "") : s;
  return ID.test(id) ? id : null;
}

/**
 * What the address input says: nothing (a new spreadsheet), a spreadsheet, or text
 * that is not one (`sheets.bad_spreadsheet`, as the backend would answer).
 */
export function spreadsheetIssue(input: string): UiError | null {
  if (input.trim() === "" || spreadsheetId(input) !== null) return null;
  return { code: "sheets.bad_spreadsheet", field: SPREADSHEET_FIELD };
}

/** Where an export goes: empty address → a new spreadsheet; empty sheet → its first. */
export function toTarget(spreadsheet: string, sheet: string): Target {
  const book = spreadsheet.trim();
  const name = sheet.trim();
  return { spreadsheet: book === "" ? null : book, sheet: name === "" ? null : name };
}

/**
 * How an export's failure is shown: Google E-Tablolar is not connected (the way to
 * Entegrasyonlar › Google), the address is wrong (under its input), or an alert.
 */
export type ExportFailure =
  | { kind: "not_connected"; error: ErrorPayload }
  | { kind: "field"; error: ErrorPayload }
  | { kind: "alert"; error: ErrorPayload };

export function exportFailure(error: ErrorPayload): ExportFailure {
  if (error.code === "sheets.not_connected") return { kind: "not_connected", error };
  const named = error.field === SPREADSHEET_FIELD || (error.fields ?? []).includes(SPREADSHEET_FIELD);
  if (error.code === "sheets.bad_spreadsheet" || named) return { kind: "field", error };
  return { kind: "alert", error };
}
