// Ulak's own help pages (a provider's setup page on E-posta Ayarları and Entegrasyonlar),
// opened in the system browser rather than inside the window.

import { call, commands, type CmdResult } from "../api";

/**
 * Opens `url` in the system browser; the backend opens only the help pages it knows and
 * answers an error for any other address.
 */
export function openHelpLink(url: string): Promise<CmdResult<null>> {
  return call(() => commands.openHelpLink(url));
}
