// The user's settings: the interface language and the notifications (the desktop's
// master switch, the event matrix: each event's channels and frequency, how long a
// message retries before it is told as stuck, and where notification e-mails go).

import { call, commands, type CmdResult } from "../api";
import type {
  ErrorPayload,
  Language,
  NoticeChannel,
  NoticeEmail,
  NoticeEvent,
  NoticeSettings,
} from "../bindings";
import { withChannel, withEmail, withFrequency, withStuckMinutes } from "../notify";

/** Saves the interface language (only once the store is open). */
export function saveLanguage(lang: Language): Promise<CmdResult<null>> {
  return call(() => commands.setLanguage(lang));
}

/** The notification settings, shown as they are stored. */
export class NoticeSettingsStore {
  settings = $state<NoticeSettings | null>(null);
  /** True until the settings have been read; again while they are read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);
  /** A save is on its way (the latest one: an earlier one's answer is dropped). */
  saving = $state(false);
  #seq = 0;
  /** What is really stored, as the latest answer so far says (shown again on a failure). */
  #stored: NoticeSettings | null = null;
  /** The save whose answer `#stored` comes from. */
  #storedSeq = 0;

  async load(): Promise<CmdResult<NoticeSettings>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.getNoticeSettings());
    this.loading = false;
    if (res.status === "ok") {
      this.settings = res.data;
      this.#stored = res.data;
    } else {
      this.error = res.error;
    }
    return res;
  }

  /**
   * Shows `next` at once and saves it; on failure the settings go back to what is
   * really stored. Null when a later save (or `close`) made this answer moot.
   */
  async save(next: NoticeSettings): Promise<CmdResult<NoticeSettings> | null> {
    this.#stored ??= this.settings;
    this.settings = next;
    this.saving = true;
    const mine = ++this.#seq;
    const res = await call(() => commands.saveNoticeSettings(next));
    if (res.status === "ok" && mine > this.#storedSeq) {
      // Even a moot answer says what is stored now, should the later save fail.
      this.#stored = res.data;
      this.#storedSeq = mine;
    }
    if (mine !== this.#seq) return null; // a later change is being saved
    this.saving = false;
    this.settings = this.#stored;
    return res;
  }

  /** Desktop notifications at all, on or off (the matrix's choices are kept). */
  setEnabled(enabled: boolean): Promise<CmdResult<NoticeSettings> | null> {
    return this.#change((s) => ({ ...s, enabled }));
  }

  /** The event told on the desktop or not; its other channels are kept as they are. */
  setDesktop(event: NoticeEvent, on: boolean): Promise<CmdResult<NoticeSettings> | null> {
    return this.setChannel(event, "desktop", on);
  }

  /** The event told on `channel` (e-mail, Slack, Telegram…) or not; the others are kept. */
  setChannel(
    event: NoticeEvent,
    channel: NoticeChannel,
    on: boolean,
  ): Promise<CmdResult<NoticeSettings> | null> {
    return this.#change((s) => withChannel(s, event, channel, on));
  }

  /** The event's frequency from the select's value ("now", "every:300", "digest:600"…). */
  setFrequency(event: NoticeEvent, value: string): Promise<CmdResult<NoticeSettings> | null> {
    return this.#change((s) => withFrequency(s, event, value));
  }

  /**
   * How long a message retries before it is told as stuck, in minutes; a value out of
   * range (see STUCK_MINUTES) saves nothing.
   */
  setStuckMinutes(minutes: number): Promise<CmdResult<NoticeSettings> | null> {
    return this.#change((s) => withStuckMinutes(s, minutes));
  }

  /**
   * Where notification e-mails go (the address trimmed); null, or an empty address,
   * turns them off. The matrix's e-mail choices are kept either way.
   */
  setEmail(email: NoticeEmail | null): Promise<CmdResult<NoticeSettings> | null> {
    return this.#change((s) => withEmail(s, email));
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#seq++;
  }

  /** Saves a change to what is shown; null when nothing is loaded or the change is none. */
  async #change(
    change: (settings: NoticeSettings) => NoticeSettings | null,
  ): Promise<CmdResult<NoticeSettings> | null> {
    const next = this.settings ? change(this.settings) : null;
    return next ? this.save(next) : null;
  }
}
