import type { MessageKey } from "./i18n";

export type PageId =
  | "profile"
  | "email-settings"
  | "companies"
  | "compose"
  | "sms"
  | "whatsapp"
  | "campaigns"
  | "integrations"
  | "history"
  | "suppression"
  | "automations"
  | "notifications";

export interface NavItem {
  id: PageId;
  label: MessageKey;
  /** One line on what the page will hold; set for pages not built yet. */
  soon?: MessageKey;
}

export interface NavGroup {
  /** Group heading; null for items that stand on their own. */
  label: MessageKey | null;
  items: NavItem[];
}

export const NAV: readonly NavGroup[] = [
  {
    label: "nav.groupProfile",
    items: [
      { id: "profile", label: "nav.profile" },
      { id: "email-settings", label: "nav.emailSettings" },
    ],
  },
  {
    label: "nav.groupContact",
    items: [
      { id: "companies", label: "nav.companies" },
      { id: "compose", label: "nav.compose" },
      { id: "sms", label: "nav.sms" },
      { id: "whatsapp", label: "nav.whatsapp" },
      { id: "campaigns", label: "nav.campaigns" },
    ],
  },
  {
    label: null,
    items: [
      { id: "integrations", label: "nav.integrations" },
      { id: "history", label: "nav.history" },
      { id: "suppression", label: "nav.suppression" },
      { id: "automations", label: "nav.automations" },
      { id: "notifications", label: "nav.notifications" },
    ],
  },
];

export function findNavItem(id: PageId): NavItem {
  for (const group of NAV) {
    const item = group.items.find((i) => i.id === id);
    if (item) return item;
  }
  throw new Error(`unknown page ${id}`);
}

/** The channels the composers write on; components/ChannelSwitch moves between them. */
export type ComposeChannel = "email" | "sms" | "whatsapp";

export interface Composer {
  channel: ComposeChannel;
  /** The composer's page. */
  page: PageId;
  /** The switch's word for it. */
  label: MessageKey;
}

/** The three composers, in the switch's order. */
export const COMPOSERS: readonly Composer[] = [
  { channel: "email", page: "compose", label: "channels.email" },
  { channel: "sms", page: "sms", label: "channels.sms" },
  { channel: "whatsapp", page: "whatsapp", label: "channels.whatsapp" },
];

/** The page of a channel's composer. */
export function composerPage(channel: ComposeChannel): PageId {
  return COMPOSERS.find((c) => c.channel === channel)?.page ?? "compose";
}
