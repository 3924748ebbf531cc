// Queueing messages: what the e-mail composer needs before anything is typed, previewing
// and sending a draft, and sending an SMS or a WhatsApp message (to one number or
// several). The outbox's worker sends what is queued (./outbox.svelte.ts follows it).
// Before a commercial SMS, SmsIysCheck asks what its text lacks for İYS (advice only).

import { call, commands, type CmdResult } from "../api";
import type {
  ComposeInput,
  ComposerInfo,
  ErrorPayload,
  IysCheck,
  Preview,
  SmsBulkInput,
  SmsInput,
  WhatsappBulkInput,
  WhatsappInput,
} from "../bindings";
import { DEFAULT_ATTACHMENTS_MAX_BYTES } from "../compose";

/** The e-mail composer's backend side. */
export class ComposerStore {
  /** The attachment limit and the template variables; defaults until read. */
  info = $state<ComposerInfo>({
    attachmentsMaxBytes: DEFAULT_ATTACHMENTS_MAX_BYTES,
    variables: [],
  });

  async loadInfo(): Promise<void> {
    try {
      this.info = await commands.composerInfo();
    } catch {
      // Outside Tauri: keep the defaults; the other loads report the problem.
    }
  }

  /** The message(s) as they would be sent; nothing is queued. */
  preview(input: ComposeInput): Promise<CmdResult<Preview>> {
    return call(() => commands.previewMessage(input));
  }

  /** Queues the message(s); the answer is their ids. */
  send(input: ComposeInput): Promise<CmdResult<number[]>> {
    return call(() => commands.sendMessage(input));
  }
}

/**
 * Queues an SMS through a provider set up under Entegrasyonlar (`twilio`, …), or to the
 * test box when `provider` is null; the answer is its id.
 */
export function sendSms(input: SmsInput, provider: string | null): Promise<CmdResult<number>> {
  return call(() => commands.sendSms(input, provider));
}

/**
 * Queues one text to several numbers (all or nothing: one bad number, and nothing is
 * queued), through a provider or to the test box when `provider` is null; the answer is
 * the messages' ids, a number given twice queued once.
 */
export function sendSmsBulk(
  input: SmsBulkInput,
  provider: string | null,
): Promise<CmdResult<number[]>> {
  return call(() => commands.sendSmsBulk(input, provider));
}

/**
 * Queues a WhatsApp message (a template or a text) through a provider set up under
 * Entegrasyonlar (`meta`, `twilio`), or to the test box when `provider` is null; the
 * answer is its id.
 */
export function sendWhatsapp(
  input: WhatsappInput,
  provider: string | null,
): Promise<CmdResult<number>> {
  return call(() => commands.sendWhatsapp(input, provider));
}

/**
 * Queues one WhatsApp message (a template or a text) to several numbers, all or nothing
 * (one bad number, and nothing is queued), through a provider or to the test box when
 * `provider` is null; the answer is the messages' ids, a number given twice queued once.
 */
export function sendWhatsappBulk(
  input: WhatsappBulkInput,
  provider: string | null,
): Promise<CmdResult<number[]>> {
  return call(() => commands.sendWhatsappBulk(input, provider));
}

/**
 * SMS Gönder's commercial-message check: what the text lacks (trade name, contact, RET to
 * 3338, a marker at its start) and how many recipients are individuals the provider
 * cannot check İYS consent for. Checks answer in any order: only the latest one's answer
 * is taken; `clear` (no longer commercial) drops what is shown and any answer on its way.
 */
export class SmsIysCheck {
  /** The last answer; null before one (or after `clear`). */
  result = $state<IysCheck | null>(null);
  /** Why the last check failed; null when it did not. */
  error = $state<ErrorPayload | null>(null);
  checking = $state(false);
  #seq = 0;

  async check(
    provider: string | null,
    companyId: number | null,
    to: readonly string[],
    text: string,
  ): Promise<CmdResult<IysCheck>> {
    const mine = ++this.#seq;
    this.checking = true;
    const res = await call(() => commands.smsIysCheck(provider, companyId, [...to], text));
    if (mine !== this.#seq) return res;
    this.checking = false;
    if (res.status === "ok") {
      this.result = res.data;
      this.error = null;
    } else {
      this.result = null;
      this.error = res.error;
    }
    return res;
  }

  clear(): void {
    this.#seq++;
    this.result = null;
    this.error = null;
    this.checking = false;
  }
}
