// The send history of the open workspace: the list (as filtered), the daily counts, and
// the message open below the list with its retry, cancel and delete. Nothing here reads
// on its own: the page says when.

import { call, commands } from "../api";
import type { DailyCount, Detail, Entry, ErrorPayload, Filter } from "../bindings";
import { DAILY_DAYS, entryChanged, sortDaily, type ActionStatus, type RetryStatus } from "../history";

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
  cancelling = $state(false);
  cancelStatus = $state<ActionStatus | null>(null);
  deleting = $state(false);
  /** Why the open message could not be deleted. */
  deleteError = $state<ErrorPayload | null>(null);
  /** The message last deleted (the page says so above the list) until another is opened. */
  deleted = $state<Entry | null>(null);

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
    this.#clearStatus();
    this.deleted = null;
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
    if (id === null || this.busy) return null;
    this.retrying = true;
    this.#clearStatus();
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

  /**
   * Takes the open message out of the queue: it stays in the list as failed (reason
   * "cancelled"), its row and detail taking the answer. A refusal (it is being sent, or
   * has been) changes nothing and is said under the buttons. Returns the message's id
   * when it is still open afterwards (the caller then reloads what it shows), null when
   * nothing was asked or another message was opened meanwhile.
   */
  async cancel(): Promise<number | null> {
    const id = this.openId;
    if (id === null || this.busy) return null;
    this.cancelling = true;
    this.#clearStatus();
    const res = await call(() => commands.cancelMessage(id));
    this.cancelling = false;
    if (this.openId !== id) return null;
    if (res.status === "ok") {
      this.cancelStatus = { kind: "saved" };
      this.entries = this.entries.map((e) => (e.id === id ? res.data : e));
      if (this.detail) this.detail = { ...this.detail, entry: res.data };
    } else {
      this.cancelStatus = { kind: "error", error: res.error };
    }
    return id;
  }

  /**
   * Deletes the open message (one not going out): its row leaves the list and the
   * detail closes (only the row when another message was opened meanwhile); a message
   * already gone counts as deleted. A refusal keeps the list and says why
   * (`deleteError`, unless another message is open by then). True when it was deleted.
   */
  async remove(): Promise<boolean> {
    const id = this.openId;
    if (id === null || this.busy) return false;
    this.deleting = true;
    this.#clearStatus();
    const res = await call(() => commands.deleteMessage(id));
    this.deleting = false;
    const gone = res.status === "ok" || res.error.code === "outbox.not_found";
    const still = this.openId === id;
    if (gone) {
      // Its row goes whatever is open now.
      if (still) this.deleted = this.detail?.entry ?? this.entries.find((e) => e.id === id) ?? null;
      this.entries = this.entries.filter((e) => e.id !== id);
      if (still) this.closeDetail();
    } else if (still) {
      this.deleteError = res.error;
    }
    return gone;
  }

  /** A retry, cancel or delete of the open message is on its way. */
  get busy(): boolean {
    return this.retrying || this.cancelling || this.deleting;
  }

  /** What the last retry, cancel or delete said no longer applies. */
  #clearStatus(): void {
    this.retryStatus = null;
    this.cancelStatus = null;
    this.deleteError = null;
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#closed = true;
    this.#listSeq++;
    this.#dailySeq++;
    this.#detailSeq++;
  }
}
