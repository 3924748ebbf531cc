// Shared by the Otomasyonlar page's parts: what the editor offers to choose from.

import type { Account } from "../../lib/bindings";
import type { Sender } from "../../lib/integrations";

/** The workspace's accounts, saved templates and set-up providers, as last read. */
export interface Choices {
  accounts: readonly Account[];
  /** The saved e-mail templates' names. */
  templates: readonly string[];
  /** The SMS and WhatsApp providers set up (saved and active). */
  sms: readonly Sender[];
  whatsapp: readonly Sender[];
  /** The lists are still being read. */
  loading: boolean;
}
