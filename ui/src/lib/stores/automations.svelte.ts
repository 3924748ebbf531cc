// Otomasyonlar: the workspace's rules (the seeds' four made by the first read, off),
// turning one on or off, changing one, a test event from the page (the list is read
// again after it, for the rules' last runs), and the token a CRM on this computer sends
// its events with.

import { call, commands, type CmdResult } from "../api";
import type { Automation, AutomationInput, ErrorPayload, EventEmitted } from "../bindings";

export class AutomationsStore {
  /** In the backend's order (the seeds first). */
  items = $state<Automation[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);

  #closed = false;
  #seq = 0;

  async load(): Promise<CmdResult<Automation[]>> {
    this.loading = true;
    this.error = null;
    const mine = ++this.#seq;
    const res = await call(() => commands.listAutomations());
    if (mine !== this.#seq || this.#closed) return res;
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /** Reads the list again without showing "loading" (what is shown stays until then). */
  async refresh(): Promise<void> {
    const mine = ++this.#seq;
    const res = await call(() => commands.listAutomations());
    if (mine !== this.#seq || this.#closed) return;
    if (res.status === "ok") {
      this.items = res.data;
      this.error = null;
      this.loading = false;
    }
  }

  /** Turns a rule on or off; the list takes the stored rule. */
  async setEnabled(id: number, enabled: boolean): Promise<CmdResult<Automation>> {
    const res = await call(() => commands.setAutomationEnabled(id, enabled));
    if (res.status === "ok") this.#put(res.data);
    return res;
  }

  /** Changes a rule (`id`), or adds one (null, off); the list takes the stored rule. */
  async save(id: number | null, input: AutomationInput): Promise<CmdResult<Automation>> {
    const res = await call(() => commands.saveAutomation(id, input));
    if (res.status === "ok") this.#put(res.data);
    return res;
  }

  /**
   * Sends a CRM event as the CRM would (its JSON as typed): every enabled rule that
   * follows its type runs, queueing its messages. The list is read again after it.
   */
  async emit(json: string): Promise<CmdResult<EventEmitted>> {
    const res = await call(() => commands.emitAutomationEvent(json));
    if (res.status === "ok" && !this.#closed) await this.refresh();
    return res;
  }

  /** The token a CRM sends events with (`rotate`: a new one; the old one stops working). */
  async token(rotate: boolean): Promise<CmdResult<string>> {
    return call(() => commands.automationEventToken(rotate));
  }

  /** The page is gone: late answers change nothing. */
  close(): void {
    this.#closed = true;
  }

  #put(automation: Automation): void {
    if (this.#closed) return;
    // A read under way started before this answer: it would bring the old rule back.
    ++this.#seq;
    this.loading = false;
    const at = this.items.findIndex((a) => a.id === automation.id);
    if (at >= 0) this.items[at] = automation;
    else this.items = [...this.items, automation];
  }
}
