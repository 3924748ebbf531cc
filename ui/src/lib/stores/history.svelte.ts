// The send history of the open workspace: the list (as filtered), the daily counts, and
// the message open below the list with its retry. Nothing here reads on its own: the
// page says when.

import { call, commands } from "../api";
import type { DailyCount, Detail, Entry, ErrorPayload, Filter } from "../bindings";
import { DAILY_DAYS, entryChanged, sortDaily, type RetryStatus } from "../history";

export class HistoryStore {
  // ---- the list ----
  entries = $state<Entry[]>([]);
  /** True until the list has first been read. */
  loading = $state(true);
  /** Why the list could not be read (a bad date goes to `filterError` instead). */
  error = $state<ErrorPayload | null>(null);
  filterError = $state<ErrorPayload | null>(null);

  // ---- the daily counts ----
  daily = $state<DailyCount[]>([]);
  dailyError = $state<ErrorPayload | null>(null);

  // ---- the open message ----
  openId = $state<number | null>(null);
  detail = $state<Detail | null>(null);
  detailLoading = $state(false);
  detailError = $state<ErrorPayload | null>(null);
  retrying = $state(false);
  retryStatus = $state<RetryStatus | null>(null);

  #listSeq = 0;
  #dailySeq = 0;
  #detailSeq = 0;
  #closed = false;

  /**
   * Reads the list (an older answer never replaces a newer one). When the open
   * message's row changed, its detail is read again, quietly.
   */
  async loadList(filter: Filter): Promise<void> {
    const mine = ++this.#listSeq;
    const res = await call(() => commands.listHistory(filter));
    if (mine !== this.#listSeq || this.#closed) return;
    this.loading = false;
    if (res.status !== "ok") {
      if (res.error.code === "outbox.bad_date") this.filterError = res.error;
      else this.error = res.error;
      return;
    }
    this.error = null;
    this.filterError = null;
    const openId = this.openId;
    const before = openId === null ? undefined : this.entries.find((e) => e.id === openId);
    this.entries = res.data;
    if (openId !== null) {
      const after = res.data.find((e) => e.id === openId);
      if (after && entryChanged(before, after)) void this.loadDetail(openId, true);
    }
  }

  /** The filters changed: their last error no longer applies. */
  clearFilterError(): void {
    this.filterError = null;
  }

  async loadDaily(): Promise<void> {
    const mine = ++this.#dailySeq;
    const res = await call(() => commands.dailyCounts(DAILY_DAYS));
    if (mine !== this.#dailySeq || this.#closed) return;
    if (res.status === "ok") {
      this.daily = sortDaily(res.data);
      this.dailyError = null;
    } else {
      this.dailyError = res.error;
    }
  }

  /** Reads a message; `quiet` keeps what is shown meanwhile and ignores a failure. */
  async loadDetail(id: number, quiet = false): Promise<void> {
    const mine = ++this.#detailSeq;
    if (!quiet) {
      this.detailLoading = true;
      this.detailError = null;
    }
    const res = await call(() => commands.getMessage(id));
    if (mine !== this.#detailSeq || this.#closed) return;
    this.detailLoading = false;
    if (res.status === "ok") {
      this.detail = res.data;
      this.detailError = null;
    } else if (!quiet) {
      this.detail = null;
      this.detailError = res.error;
    }
  }

  /** Opens a message and reads it; false (and nothing read) when it is already open. */
  async open(id: number): Promise<boolean> {
    if (this.openId === id && (this.detail || this.detailLoading)) return false;
    this.openId = id;
    this.detail = null;
    this.retryStatus = null;
    await this.loadDetail(id);
    return true;
  }

  /** Closes the open message; returns the id it had. */
  closeDetail(): number | null {
    const id = this.openId;
    this.openId = null;
    this.detail = null;
    this.detailError = null;
    this.#detailSeq++;
    return id;
  }

  /**
   * Queues the open message again; its row and detail take the answer. Returns the
   * message's id when it is still open afterwards (the caller then reloads what it
   * shows), null when nothing was asked or another message was opened meanwhile.
   */
  async retry(): Promise<number | null> {
    const id = this.openId;
    if (id === null || this.retrying) return null;
    this.retrying = true;
    this.retryStatus = null;
    const res = await call(() => commands.retryMessage(id));
    this.retrying = false;
    if (this.openId !== id) return null;
    if (res.status === "ok") {
      this.retryStatus = { kind: "saved" };
      this.entries = this.entries.map((e) => (e.id === id ? res.data : e));
      if (this.detail) this.detail = { ...this.detail, entry: res.data };
    } else {
      this.retryStatus = { kind: "error", error: res.error };
    }
    return id;
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#closed = true;
    this.#listSeq++;
    this.#dailySeq++;
    this.#detailSeq++;
  }
}
