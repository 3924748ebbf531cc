// The user's settings: the interface language and the desktop notifications.

import { call, commands, type CmdResult } from "../api";
import type { ErrorPayload, Language, NoticeSettings } from "../bindings";

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

  async load(): Promise<CmdResult<NoticeSettings>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.getNoticeSettings());
    this.loading = false;
    if (res.status === "ok") this.settings = res.data;
    else this.error = res.error;
    return res;
  }

  /**
   * Shows `next` at once and saves it; on failure the settings go back to what is
   * really stored. Null when a later save (or `close`) made this answer moot.
   */
  async save(next: NoticeSettings): Promise<CmdResult<NoticeSettings> | null> {
    const before = this.settings;
    this.settings = next;
    this.saving = true;
    const mine = ++this.#seq;
    const res = await call(() => commands.saveNoticeSettings(next));
    if (mine !== this.#seq) return null; // a later change is being saved
    this.saving = false;
    this.settings = res.status === "ok" ? res.data : before;
    return res;
  }

  /** The page is gone: answers still on their way change nothing. */
  close(): void {
    this.#seq++;
  }
}
