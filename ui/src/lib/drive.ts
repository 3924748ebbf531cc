// Google Drive backups without Svelte: the folder's id in what the user pasted (as
// ulak-channels' drive::folder_id reads it), what a backup sends (BackupWhat, from the
// page's state), and what the backup panel shows for the backend's answer.

import type { BackedUp, BackupWhat, ErrorPayload } from "./bindings";
import { toFilter, type FilterForm } from "./history";
import type { MessageKey, UiError } from "./i18n";

/** The backend's field for the folder's address (`drive.bad_folder`). */
export const FOLDER_FIELD = "folder";

/** What can be backed up: the history as CSV, a campaign as CSV, the sent e-mails as .eml. */
export type BackupKind = BackupWhat["kind"];

/** What Gönderim Geçmişi offers to back up (its radios): the history, or the sent e-mails. */
export type HistoryKind = Exclude<BackupKind, "campaign">;

/** Gönderim Geçmişi's radios, in order. */
export const HISTORY_KINDS: readonly HistoryKind[] = ["history", "emails"];

/** The words of each radio and the line under it. */
export const KIND_LABEL: Record<HistoryKind, MessageKey> = {
  history: "drive.backup.kindHistory",
  emails: "drive.backup.kindEmails",
};
export const KIND_HELP: Record<HistoryKind, MessageKey> = {
  history: "drive.backup.kindHistoryHelp",
  emails: "drive.backup.kindEmailsHelp",
};

const MARK = "/folders/";
const ID = /^[A-Za-z0-9_-]{10,200}$/;

/**
 * The folder's id in its address (`https://drive.google.com/drive/folders/<id>`, also a
 * signed-in account's `…/drive/u/0/folders/<id>`) or the id itself; null when it is
 * neither (an empty text too).
 */
export function folderId(input: string): string | null {
  const s = input.trim();
  const at = s.indexOf(MARK);
  const id = at < 0 ? s : (s.slice(at + MARK.length).split(/[/?#]/)[0] ?? "");
  return ID.test(id) ? id : null;
}

/**
 * What the folder input says: nothing (Ulak's own folder), a folder, or text that is
 * not one (`drive.bad_folder`, as the backend would answer).
 */
export function folderIssue(input: string): UiError | null {
  if (input.trim() === "" || folderId(input) !== null) return null;
  return { code: "drive.bad_folder", field: FOLDER_FIELD };
}

/** The folder a backup names: null (Ulak's own, "Ulak yedekleri") when left empty. */
export function toFolder(input: string): string | null {
  const s = input.trim();
  return s === "" ? null : s;
}

/**
 * What Gönderim Geçmişi backs up: what its filter lists, as the Sheets export reads it
 * (no limit of the page's: the backend's own, 10,000 rows or 500 e-mails), as one CSV
 * or as the sent e-mails.
 */
export function historyBackup(kind: HistoryKind, form: FilterForm): BackupWhat {
  const filter = toFilter(form, null);
  return kind === "emails" ? { kind: "emails", filter } : { kind: "history", filter };
}

/** A campaign's messages and how each went, as one CSV. */
export function campaignBackup(id: number): BackupWhat {
  return { kind: "campaign", id };
}

/**
 * How a backup's failure is shown: Google Drive is not connected (the way to
 * Entegrasyonlar › Google), the folder is wrong (under its input), or an alert.
 */
export type BackupFailure =
  | { kind: "not_connected"; error: ErrorPayload }
  | { kind: "field"; error: ErrorPayload }
  | { kind: "alert"; error: ErrorPayload };

export function backupFailure(error: ErrorPayload): BackupFailure {
  if (error.code === "drive.not_connected") return { kind: "not_connected", error };
  const named = error.field === FOLDER_FIELD || (error.fields ?? []).includes(FOLDER_FIELD);
  if (error.code === "drive.bad_folder" || named) return { kind: "field", error };
  return { kind: "alert", error };
}

/** The result's sentence: how many files went into which folder (none, one, more). */
export function doneKey(result: BackedUp): MessageKey {
  const n = result.files.length;
  return n === 0 ? "drive.backup.doneNone" : n === 1 ? "drive.backup.doneOne" : "drive.backup.doneOther";
}
