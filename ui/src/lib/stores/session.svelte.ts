// The app's lock: opening (or creating) a passphrase store. The app's status itself is
// read by `loadStatus` in ../api.

import { call, commands, type CmdResult } from "../api";
import type { AppStatus } from "../bindings";

/** The status after the attempt: still locked (with why) or ready. */
export function unlock(passphrase: string): Promise<CmdResult<AppStatus>> {
  return call(() => commands.unlockWithPassphrase(passphrase));
}
