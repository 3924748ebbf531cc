// Bildirimler → Webhook'lar without Svelte: the endpoint URL checked while typing (as
// the backend's webhook::address::check_url checks it on save), the events an endpoint
// asks for, what an endpoint's status badge says, and a delivery's state in words.

import {
  WEBHOOK_EVENTS,
  type Delivery,
  type Endpoint,
  type EndpointInput,
  type ErrorPayload,
  type Language,
} from "./bindings";
import { formatDateTime } from "./history";
import { translate, type MessageKey } from "./i18n";

/** Every event type, in an endpoint's list (it then stands alone). */
export const ALL_EVENTS = "*";

/** One of the event types an endpoint can choose. */
export type ChoosableEvent = (typeof WEBHOOK_EVENTS)[number];

/** What is wrong with a URL as typed; `detail` names a private address. */
export interface UrlIssue {
  code: "validation.required" | "validation.url" | "webhook.insecure" | "webhook.private_address";
  detail?: string;
}

// ---- Addresses -------------------------------------------------------------------------

/** An IPv4 address in dotted decimal ("10.0.0.5"), as its four octets; null otherwise. */
export function parseIpv4(text: string): [number, number, number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets as [number, number, number, number];
}

/** An IPv6 address (without brackets) as its eight 16-bit groups; null otherwise. */
export function parseIpv6(text: string): number[] | null {
  let rest = text.toLowerCase();
  // A dotted IPv4 tail ("::ffff:10.0.0.1") stands for the last two groups.
  const lastColon = rest.lastIndexOf(":");
  if (lastColon < 0) return null;
  const v4 = parseIpv4(rest.slice(lastColon + 1));
  if (v4) {
    const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
    rest = `${rest.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = rest.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? "");
  if (halves.length === 1) return head?.length === 8 ? head : null;
  const back = groups(halves[1] ?? "");
  if (!head || !back || head.length + back.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - back.length).fill(0), ...back];
}

function privateV4([a, b, c]: readonly [number, number, number, number]): boolean {
  return (
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) || // link-local
    a === 0 || // "this network", unspecified
    (a === 100 && b >= 64 && b < 128) || // shared address space (CGNAT)
    (a === 192 && b === 0) || // IETF protocol assignments (192.0.2.0/24 documentation too)
    (a === 198 && b === 51 && c === 100) || // documentation
    (a === 203 && b === 0 && c === 113) || // documentation
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

/**
 * Whether an IP address (IPv4 dotted, or IPv6 without brackets) is somewhere only a
 * local network reaches, as the backend's `address::is_private` decides; false for a
 * name or anything unreadable.
 */
export function isPrivateIp(ip: string): boolean {
  const v4 = parseIpv4(ip);
  if (v4) return privateV4(v4);
  const s = parseIpv6(ip);
  if (!s) return false;
  const [s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0] = s;
  // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 address.
  if (s0 === 0 && s1 === 0 && s2 === 0 && s3 === 0 && s4 === 0 && s5 === 0xffff) {
    return privateV4([s6 >> 8, s6 & 0xff, s7 >> 8, s7 & 0xff]);
  }
  const zeroes = s.slice(0, 7).every((g) => g === 0);
  return (
    (zeroes && s7 === 1) || // loopback ::1
    (zeroes && s7 === 0) || // unspecified ::
    (s0 & 0xff00) === 0xff00 || // multicast ff00::/8
    (s0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (s0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (s0 === 0x2001 && s1 === 0x0db8) || // documentation
    (s0 === 0x0064 && s1 === 0xff9b) // NAT64 (wraps an IPv4 address)
  );
}

/** Whether the URL's host is this computer: localhost, 127.x.x.x or [::1]. */
function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  const v4 = parseIpv4(host);
  if (v4) return v4[0] === 127;
  const v6 = parseIpv6(host);
  return v6 !== null && v6.slice(0, 7).every((g) => g === 0) && v6[7] === 1;
}

/**
 * The endpoint URL as the backend takes it: a URL with a host, no user:password, no
 * #fragment; https, or plain http only to this computer (localhost, 127.x.x.x, [::1]);
 * and unless `allowPrivate`, not a literal private address nor localhost (`detail`
 * then names it). Null when it is fine.
 */
export function checkUrl(url: string, allowPrivate: boolean): UrlIssue | null {
  const value = url.trim();
  if (value === "") return { code: "validation.required" };
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { code: "validation.url" };
  }
  // The browser's URL says "" for an empty fragment ("…/#"); the backend sees one.
  if (u.hostname === "" || u.username !== "" || u.password !== "" || value.includes("#")) {
    return { code: "validation.url" };
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  if (u.protocol === "http:") {
    if (!isLoopbackHost(host)) return { code: "webhook.insecure" };
  } else if (u.protocol !== "https:") {
    return { code: "validation.url" };
  }
  if (allowPrivate) return null;
  const literal = parseIpv4(host) !== null || parseIpv6(host) !== null;
  if ((literal && isPrivateIp(host)) || (!literal && host === "localhost")) {
    return { code: "webhook.private_address", detail: host };
  }
  return null;
}

// ---- Events ----------------------------------------------------------------------------

/** The form's event checkboxes. */
export interface EventChoice {
  sent: boolean;
  failed: boolean;
  all: boolean;
}

/** The form as it opens: failures only. */
export const DEFAULT_EVENTS: EventChoice = { sent: false, failed: true, all: false };

/** The events the form asks for: `["*"]` for all; empty when none is chosen. */
export function eventsOf(choice: EventChoice): string[] {
  if (choice.all) return [ALL_EVENTS];
  const out: string[] = [];
  if (choice.sent) out.push("message.sent");
  if (choice.failed) out.push("message.failed");
  return out;
}

/** What the add form sends. */
export function toEndpointInput(
  url: string,
  choice: EventChoice,
  allowPrivate: boolean,
): EndpointInput {
  return { url: url.trim(), events: eventsOf(choice), allowPrivate };
}

/** The words of an event type (`*`: all of them); null for one the window does not know. */
export function eventKey(event: string): MessageKey | null {
  switch (event) {
    case ALL_EVENTS:
      return "webhooks.event.all";
    case "message.sent":
      return "webhooks.event.sent";
    case "message.failed":
      return "webhooks.event.failed";
    case "webhook.test":
      return "webhooks.event.test";
    default:
      return null;
  }
}

/** An event type in words; an unknown one as it is. */
export function eventName(event: string, lang: Language): string {
  const key = eventKey(event);
  return key ? translate(lang, key) : event;
}

/** The events an endpoint gets, in words: "Tüm olaylar", or the types one after another. */
export function eventsLabel(events: readonly string[], lang: Language): string {
  if (events.includes(ALL_EVENTS)) return eventName(ALL_EVENTS, lang);
  return events.map((e) => eventName(e, lang)).join(translate(lang, "webhooks.listSeparator"));
}

// ---- Endpoints -------------------------------------------------------------------------

/**
 * An endpoint's badge: `ok` (the last delivery got a 2xx answer), `failing` (deliveries
 * were given up after a day), `error` (the last delivery failed; it is still retried),
 * `new` (nothing delivered yet).
 */
export type EndpointState = "ok" | "failing" | "error" | "new";

const is2xx = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

export function endpointState(e: Endpoint): EndpointState {
  if (e.failingSince) return "failing";
  if (e.lastError) return "error";
  if (is2xx(e.lastStatus)) return "ok";
  if (e.lastStatus === null && !e.lastDeliveryAt) return "new";
  return "error";
}

/** The badge's words, e.g. "Çalışıyor · son yanıt 200". */
export function endpointStatusText(e: Endpoint, lang: Language): string {
  switch (endpointState(e)) {
    case "ok":
      return translate(lang, "webhooks.status.ok", { status: e.lastStatus ?? "" });
    case "failing":
      return translate(lang, "webhooks.status.failing", {
        since: formatDateTime(e.failingSince) || (e.failingSince ?? ""),
      });
    case "new":
      return translate(lang, "webhooks.status.new");
    case "error": {
      const why = e.lastError?.trim() || (e.lastStatus !== null ? `HTTP ${e.lastStatus}` : "");
      return why
        ? translate(lang, "webhooks.status.error", { error: why })
        : translate(lang, "webhooks.status.errorNoWords");
    }
  }
}

/** Until when the previous secret still signs, when that is still ahead of `now`. */
export function previousSigns(e: Endpoint, now: Date = new Date()): string | null {
  if (!e.previousUntil) return null;
  const until = new Date(e.previousUntil);
  if (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime()) return null;
  return e.previousUntil;
}

/** Where an error from adding an endpoint belongs: beside a field, or the form's line. */
export function addErrorField(err: ErrorPayload): "url" | "events" | null {
  if (err.field === "url" || err.field === "events") return err.field;
  if (err.code === "validation.url" || err.code === "webhook.insecure") return "url";
  if (err.code === "webhook.private_address") return "url";
  if (err.code === "webhook.events") return "events";
  return null;
}

// ---- Deliveries ------------------------------------------------------------------------

export const DELIVERY_STATES = ["queued", "sending", "sent", "retry", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export function isDeliveryState(state: string): state is DeliveryState {
  return (DELIVERY_STATES as readonly string[]).includes(state);
}

/** A delivery's state in words; an unknown one as it is. */
export function deliveryStateName(state: string, lang: Language): string {
  return isDeliveryState(state) ? translate(lang, `webhooks.deliveryState.${state}`) : state;
}

/** Not settled yet: waiting to go, going, or to be tried again. */
export function isDeliveryPending(state: string): boolean {
  return state === "queued" || state === "sending" || state === "retry";
}

/** Whether a followed test has nothing left to wait for: its delivery listed, none pending. */
export function testSettled(
  deliveries: readonly Pick<Delivery, "id" | "state">[],
  messageId: number,
): boolean {
  const listed = deliveries.some((d) => d.id === messageId);
  return listed && !deliveries.some((d) => isDeliveryPending(d.state));
}
