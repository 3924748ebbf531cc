// The workspace's campaigns (Kampanyalar): the list with each one's progress, creating
// one (its messages queued as a draft), running, pausing, resuming and cancelling it, a
// campaign's progress read again, and the forward view (how many queued messages each
// account and campaign sends on each of the coming days).

import { call, commands, type CmdResult } from "../api";
import type {
  Action,
  CampaignInput,
  Created,
  ErrorPayload,
  Forecast,
  Progress,
} from "../bindings";

export class CampaignsStore {
  items = $state<Progress[]>([]);
  /** True until the list has been read; again while it is read (not on a quiet read). */
  loading = $state(true);
  /** Why the last read of the list failed; cleared by the next good one. */
  error = $state<ErrorPayload | null>(null);
  /** The forward view as last read; null until it has been. */
  forecast = $state<Forecast | null>(null);
  forecastError = $state<ErrorPayload | null>(null);

  #closed = false;
  /** Reads answer in any order: only the latest one's answer is taken. */
  #listSeq = 0;
  #forecastSeq = 0;

  /**
   * Reads every campaign's progress. `quiet` (the page's polling) shows no "loading"
   * and keeps what is shown when the read fails.
   */
  async load({ quiet = false }: { quiet?: boolean } = {}): Promise<CmdResult<Progress[]>> {
    const mine = ++this.#listSeq;
    if (!quiet) {
      this.loading = true;
      this.error = null;
    }
    const res = await call(() => commands.listCampaigns());
    if (mine !== this.#listSeq || this.#closed) return res;
    if (res.status === "ok") {
      this.items = res.data;
      this.error = null;
      this.loading = false;
    } else if (!quiet || this.loading) {
      this.error = res.error;
      this.loading = false;
    }
    return res;
  }

  /** Makes the campaign (a draft, its messages queued); the list then shows its progress. */
  async create(input: CampaignInput): Promise<CmdResult<Created>> {
    const res = await call(() => commands.createCampaign(input));
    if (res.status === "ok" && !this.#closed) await this.refresh(res.data.campaign.id);
    return res;
  }

  /** Runs, pauses, resumes or cancels a campaign; the answer replaces it in the list. */
  async act(id: number, action: Action): Promise<CmdResult<Progress>> {
    const res = await call(() => commands.campaignAction(id, action));
    if (res.status === "ok") this.#put(res.data);
    else if (res.error.code === "campaign.not_found") this.#drop(id);
    return res;
  }

  /** Reads one campaign's progress again; a campaign found gone leaves the list. */
  async refresh(id: number): Promise<CmdResult<Progress>> {
    const res = await call(() => commands.campaignProgress(id));
    if (res.status === "ok") this.#put(res.data);
    else if (res.error.code === "campaign.not_found") this.#drop(id);
    return res;
  }

  /** Reads the forward view; on an error the last one read stays. */
  async loadForecast(): Promise<CmdResult<Forecast>> {
    const mine = ++this.#forecastSeq;
    const res = await call(() => commands.outboxForecast());
    if (mine !== this.#forecastSeq || this.#closed) return res;
    if (res.status === "ok") {
      this.forecast = res.data;
      this.forecastError = null;
    } else {
      this.forecastError = res.error;
    }
    return res;
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#closed = true;
  }

  /** Replaces the campaign in the list; a new one goes first (the newest lead). */
  #put(progress: Progress): void {
    if (this.#closed) return;
    // A read of the list under way may have started before this: it would bring the
    // campaign back as it was. (The first read is left alone: nothing is shown yet.)
    if (!this.loading) this.#listSeq++;
    const id = progress.campaign.id;
    const at = this.items.findIndex((p) => p.campaign.id === id);
    if (at >= 0) {
      const next = [...this.items];
      next[at] = progress;
      this.items = next;
    } else {
      this.items = [progress, ...this.items];
    }
  }

  #drop(id: number): void {
    if (this.#closed) return;
    this.items = this.items.filter((p) => p.campaign.id !== id);
  }
}
