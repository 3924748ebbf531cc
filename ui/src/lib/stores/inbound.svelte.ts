// Gelen bildirimler: the receiver's settings and status (one store on Entegrasyonlar,
// shown in its SMS and WhatsApp tabs alike), an integration's address to paste into
// the provider's console, and WhatsApp's 24-hour window for one number (WhatsApp Gönder).

import { call, commands, type CmdResult } from "../api";
import type {
  ErrorPayload,
  InboundAddress,
  InboundSettings,
  InboundStatus,
  MessageChannel,
  WhatsappWindow,
} from "../bindings";
import { emptyInboundForm, inboundForm, inboundFieldErrors, type InboundForm } from "../inbound";

export class InboundStore {
  /** The saved settings and what the receiver does with them; null until read. */
  status = $state<InboundStatus | null>(null);
  /** True until the status has been read; again while it is read. */
  loading = $state(true);
  /** Why reading the status failed. */
  error = $state<ErrorPayload | null>(null);
  /** The form as typed (shared: every place that shows it shows the same). */
  form = $state<InboundForm>(emptyInboundForm());
  saving = $state(false);
  /** Why the last save failed; null after a good one (or an edit). */
  saveError = $state<ErrorPayload | null>(null);
  /** The last save went through (cleared by an edit). */
  saved = $state(false);

  async load(): Promise<CmdResult<InboundStatus>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.inboundStatus());
    this.loading = false;
    if (res.status === "ok") {
      this.status = res.data;
      this.form = inboundForm(res.data.settings);
    } else {
      this.error = res.error;
    }
    return res;
  }

  /** Something was typed: what was said about the last save no longer holds. */
  edited(): void {
    this.saved = false;
    this.saveError = null;
  }

  /**
   * Saves the port and the tunnel's address; the receiver moves to the new port (the
   * status says whether it could). The form takes what was stored.
   */
  async save(settings: InboundSettings): Promise<CmdResult<InboundStatus>> {
    this.saving = true;
    this.saved = false;
    this.saveError = null;
    const res = await call(() => commands.saveInboundSettings(settings));
    this.saving = false;
    if (res.status === "ok") {
      this.status = res.data;
      this.error = null;
      this.form = inboundForm(res.data.settings);
      this.saved = true;
    } else {
      this.saveError = res.error;
    }
    return res;
  }

  /** The last save's error by the form's field (port, publicUrl). */
  get fieldErrors(): ReturnType<typeof inboundFieldErrors> {
    return this.saveError ? inboundFieldErrors(this.saveError) : {};
  }
}

/**
 * An integration's webhook address (`rotate`: a new one; the old one stops working).
 * Errors: `inbound.not_received` for a provider Ulak receives nothing from,
 * `integration.not_set_up` before it is saved.
 */
export function inboundAddress(
  channel: MessageChannel,
  provider: string,
  rotate: boolean,
): Promise<CmdResult<InboundAddress>> {
  return call(() => commands.inboundAddress(channel, provider, rotate));
}

/**
 * WhatsApp Gönder's look at the customer's 24-hour window. Checks answer in any order:
 * only the latest one's answer is taken. Nothing is shown for an error or a null answer
 * (the provider does not tell Ulak when customers write); `clear` drops what is shown and
 * any answer on its way.
 */
export class WhatsappWindowCheck {
  /** The last answer; null before one, for a provider that does not say, or after an error. */
  result = $state<WhatsappWindow | null>(null);
  /** When the last answer came, in ms since the epoch (for "today" in its words). */
  at = $state(0);
  #seq = 0;

  async check(provider: string, to: string): Promise<CmdResult<WhatsappWindow | null>> {
    const mine = ++this.#seq;
    const res = await call(() => commands.whatsappWindow(provider, to));
    if (mine !== this.#seq) return res;
    this.result = res.status === "ok" ? res.data : null;
    this.at = Date.now();
    return res;
  }

  clear(): void {
    this.#seq++;
    this.result = null;
  }
}
