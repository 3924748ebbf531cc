// Engelleme Listesi: the workspace's suppression list (every e-mail, SMS and WhatsApp
// send reads it as it goes). The list, adding to it, taking an entry off, a CSV import
// and the CSV export; and campaign mail's unsubscribe route: its settings, and
// recording the requests that came back (a pasted mail, subject or address).

import { call, commands, onOutboxChanged, type CmdResult } from "../api";
import type {
  ErrorPayload,
  Suppression,
  SuppressionAdded,
  SuppressionImport,
  SuppressionReason,
  UnsubscribeReport,
  UnsubscribeSettings,
} from "../bindings";
import { THROTTLE_MS, throttle } from "../progress";

export class SuppressionStore {
  /** Newest first, as the backend lists them. */
  items = $state<Suppression[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);

  /** The unsubscribe route as stored (null until read). */
  unsubscribe = $state<UnsubscribeSettings | null>(null);
  /** True until the unsubscribe settings have been read; again while they are read. */
  unsubscribeLoading = $state(true);
  unsubscribeError = $state<ErrorPayload | null>(null);

  #closed = false;
  #seq = 0;
  #unsubscribeSeq = 0;

  async load(): Promise<CmdResult<Suppression[]>> {
    this.loading = true;
    this.error = null;
    const mine = ++this.#seq;
    const res = await call(() => commands.listSuppressions());
    if (mine !== this.#seq || this.#closed) return res;
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /**
   * Lists an address or number (`requestedAt`: the day of the refusal, `YYYY-MM-DD`, or
   * null for now). One already listed is kept as it was (`new` is then false).
   */
  async add(
    value: string,
    reason: SuppressionReason,
    note: string,
    requestedAt: string | null,
  ): Promise<CmdResult<SuppressionAdded>> {
    const res = await call(() => commands.addSuppression(value, reason, note, requestedAt));
    if (res.status === "ok" && !this.#closed) {
      const { entry } = res.data;
      if (!this.items.some((e) => e.value === entry.value)) this.items = [entry, ...this.items];
      // A read under way may have started before the add: read again.
      void this.refresh();
    }
    return res;
  }

  /** Takes an entry off the list; one already gone counts as taken off. */
  async remove(value: string): Promise<CmdResult<null>> {
    let res = await call(() => commands.removeSuppression(value));
    if (res.status === "error" && res.error.code === "suppress.not_listed") {
      res = { status: "ok", data: null };
    }
    if (res.status === "ok" && !this.#closed) {
      this.items = this.items.filter((e) => e.value !== value);
      void this.refresh();
    }
    return res;
  }

  /** Reads a CSV's text onto the list; the list is read again after it. */
  async importCsv(csv: string): Promise<CmdResult<SuppressionImport>> {
    const res = await call(() => commands.importSuppressions(csv));
    if (res.status === "ok" && !this.#closed) await this.refresh();
    return res;
  }

  /** The list as CSV text (with a header line), for the window to save. */
  async exportCsv(): Promise<CmdResult<string>> {
    return call(() => commands.exportSuppressions());
  }

  /** Reads the unsubscribe settings (where campaign mail's unsubscribe link points). */
  async loadUnsubscribe(): Promise<CmdResult<UnsubscribeSettings>> {
    this.unsubscribeLoading = true;
    this.unsubscribeError = null;
    const mine = ++this.#unsubscribeSeq;
    const res = await call(() => commands.getUnsubscribeSettings());
    if (mine !== this.#unsubscribeSeq || this.#closed) return res;
    this.unsubscribeLoading = false;
    if (res.status === "ok") this.unsubscribe = res.data;
    else this.unsubscribeError = res.error;
    return res;
  }

  /**
   * Saves the unsubscribe settings (the backend checks them: `validation.url`,
   * `validation.email`); on success what it kept (trimmed) is the stored settings.
   */
  async saveUnsubscribe(settings: UnsubscribeSettings): Promise<CmdResult<UnsubscribeSettings>> {
    const res = await call(() => commands.saveUnsubscribeSettings(settings));
    if (res.status === "ok" && !this.#closed) {
      // A read under way would bring the old settings: this answer wins.
      ++this.#unsubscribeSeq;
      this.unsubscribe = res.data;
      this.unsubscribeError = null;
      this.unsubscribeLoading = false;
    }
    return res;
  }

  /**
   * Records the unsubscribe requests in a pasted text (a mail, its subject, the address
   * opened, a list of them); the list is read again when someone was recorded.
   */
  async recordUnsubscribes(text: string): Promise<CmdResult<UnsubscribeReport>> {
    const res = await call(() => commands.recordUnsubscribes(text));
    if (res.status === "ok" && res.data.recorded.length > 0 && !this.#closed) await this.refresh();
    return res;
  }

  /**
   * Reads the list again after each round of the worker (a hard bounce may have put an
   * address on it), quietly. Returns the way to stop.
   */
  follow(): () => void {
    const again = throttle(() => void this.refresh(), THROTTLE_MS);
    const stop = onOutboxChanged(() => again());
    return () => {
      stop();
      again.cancel();
    };
  }

  /** Reads the list again without showing "loading" (what is shown stays until then). */
  async refresh(): Promise<void> {
    const mine = ++this.#seq;
    const res = await call(() => commands.listSuppressions());
    if (mine !== this.#seq || this.#closed) return;
    if (res.status === "ok") {
      this.items = res.data;
      this.error = null;
      this.loading = false;
    }
  }

  /** The page is gone: late answers change nothing. */
  close(): void {
    this.#closed = true;
  }
}
