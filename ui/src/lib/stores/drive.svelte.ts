// Google Drive: the Google account backups go to and signing it in (./grant.svelte, as
// the calendar's, Google E-Tablolar' and Google Kişiler'), and a backup — the send
// history, a campaign or the sent e-mails — into a chosen folder or Ulak's own, its
// files counted as they go up.

import { Channel } from "@tauri-apps/api/core";
import { call, commands, type CmdResult } from "../api";
import type { BackedUp, BackupWhat } from "../bindings";
import { toFolder } from "../drive";
import { GrantStore } from "./grant.svelte";

/** Told as files go up: `done` of `total` (0 of total first, once they are made). */
export type BackupProgress = (done: number, total: number) => void;

export class DriveStore extends GrantStore {
  constructor() {
    super({
      provider: "google",
      status: () => commands.driveStatus(),
      begin: (loginHint) => commands.beginDriveConnect(loginHint),
      finish: () => commands.finishDriveConnect(),
    });
  }

  /**
   * Backs `what` up into `folder` (its address or id, trimmed; empty: Ulak's own folder,
   * "Ulak yedekleri"). Each panel follows its own backup through `onprogress` (a page's
   * campaigns share the store); a finished backup counts all its files done.
   */
  async backup(what: BackupWhat, folder: string, onprogress?: BackupProgress): Promise<CmdResult<BackedUp>> {
    const res = await call(async () => {
      const channel = new Channel<[number, number]>();
      channel.onmessage = ([done, total]) => onprogress?.(done, total);
      return commands.backupToDrive(what, toFolder(folder), channel);
    });
    if (res.status === "ok") onprogress?.(res.data.files.length, res.data.files.length);
    return res;
  }
}
