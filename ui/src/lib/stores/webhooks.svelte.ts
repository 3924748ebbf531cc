// The workspace's webhook endpoints (Bildirimler → Webhook'lar): the list, adding one
// (its signing secret shown once), removing one, renewing its secret, a test event and
// the deliveries it leads to, and each endpoint's delivery log.

import { call, commands, onOutboxChanged, type CmdResult } from "../api";
import type { Delivery, Endpoint, EndpointInput, ErrorPayload } from "../bindings";
import { THROTTLE_MS, throttle } from "../progress";
import { testSettled } from "../webhooks";

/** While a test is followed, its endpoint's log is read again this often… */
export const TEST_POLL_MS = 1000;
/** …and for this long at most. */
export const TEST_FOLLOW_MS = 30_000;

/**
 * A signing secret just made, shown once: it lives here until the user closes it, never
 * in the endpoint list.
 */
export interface ShownSecret {
  endpointId: number;
  url: string;
  secret: string;
  /** Made by "Anahtarı yenile" (the old one still signs for 24 hours), not by adding. */
  rotated: boolean;
}

/** A test event sent to an endpoint: its delivery, and whether it is still followed. */
export interface TestRun {
  messageId: number;
  following: boolean;
}

export class WebhooksStore {
  items = $state<Endpoint[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);
  /** The secret to show once; null when there is none or the user closed it. */
  shown = $state<ShownSecret | null>(null);
  /** Each endpoint's delivery log as last read (newest first), once it was asked for. */
  deliveries = $state<Record<number, Delivery[]>>({});
  /** Why an endpoint's log could not be read (the last try). */
  deliveryErrors = $state<Record<number, ErrorPayload>>({});
  /** The endpoint's log is being read for the first time. */
  deliveriesLoading = $state<Record<number, boolean>>({});
  /** The latest test event sent to each endpoint. */
  tests = $state<Record<number, TestRun>>({});

  #closed = false;
  // Plain collections on purpose: bookkeeping that nothing shows.
  /** Per endpoint, so an older read of its log never replaces a newer one. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #logSeq = new Map<number, number>();
  /** Per endpoint, how to stop following its test. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #following = new Map<number, () => void>();
  #listSeq = 0;

  async load(): Promise<CmdResult<Endpoint[]>> {
    this.loading = true;
    this.error = null;
    const mine = ++this.#listSeq;
    const res = await call(() => commands.listWebhooks());
    if (mine !== this.#listSeq || this.#closed) return res;
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /**
   * Saves a new endpoint; the list takes it and its secret is `shown` (and returned), to
   * be shown this once.
   */
  async add(input: EndpointInput): Promise<CmdResult<string>> {
    const res = await call(() => commands.addWebhook(input));
    if (res.status !== "ok") return res;
    const { endpoint, secret } = res.data;
    if (!this.#closed) {
      this.#put(endpoint);
      this.shown = { endpointId: endpoint.id, url: endpoint.url, secret, rotated: false };
    }
    return { status: "ok", data: secret };
  }

  /** Removes an endpoint (one already gone counts as removed) and forgets its log. */
  async remove(id: number): Promise<CmdResult<null>> {
    let res = await call(() => commands.removeWebhook(id));
    if (res.status === "error" && res.error.code === "webhook.not_found") {
      res = { status: "ok", data: null };
    }
    if (res.status === "ok" && !this.#closed) {
      this.items = this.items.filter((e) => e.id !== id);
      this.#stopFollowing(id);
      this.forgetDeliveries(id);
      delete this.tests[id];
      if (this.shown?.endpointId === id) this.shown = null;
    }
    return res;
  }

  /** A new signing secret, `shown` (and returned) once; the old one signs for 24 hours. */
  async rotate(id: number): Promise<CmdResult<string>> {
    const res = await call(() => commands.rotateWebhookSecret(id));
    if (res.status !== "ok" || this.#closed) return res;
    const url = this.items.find((e) => e.id === id)?.url ?? "";
    this.shown = { endpointId: id, url, secret: res.data, rotated: true };
    // Until when the old one signs is the endpoint's to say.
    await this.#refresh();
    return res;
  }

  /** The secret was seen (or the page is going): it is not kept any longer. */
  closeSecret(): void {
    this.shown = null;
  }

  /**
   * Queues a test event to the endpoint, then follows its delivery: the log is read
   * again on each of the worker's events and every TEST_POLL_MS, until nothing in it
   * is waiting or being sent (TEST_FOLLOW_MS at most); the list is then read again.
   */
  async sendTest(id: number): Promise<CmdResult<number>> {
    const res = await call(() => commands.sendWebhookTest(id));
    if (res.status === "ok" && !this.#closed) this.#followTest(id, res.data);
    return res;
  }

  /** Reads an endpoint's delivery log (newest first); what was shown stays until then. */
  async loadDeliveries(id: number): Promise<CmdResult<Delivery[]>> {
    const mine = (this.#logSeq.get(id) ?? 0) + 1;
    this.#logSeq.set(id, mine);
    if (!(id in this.deliveries)) this.deliveriesLoading[id] = true;
    const res = await call(() => commands.webhookDeliveries(id));
    if (this.#logSeq.get(id) !== mine || this.#closed) return res;
    delete this.deliveriesLoading[id];
    if (res.status === "ok") {
      this.deliveries[id] = res.data;
      delete this.deliveryErrors[id];
    } else {
      this.deliveryErrors[id] = res.error;
    }
    return res;
  }

  /** The log is closed: it is not kept (nor read again) until asked for anew. */
  forgetDeliveries(id: number): void {
    this.#logSeq.set(id, (this.#logSeq.get(id) ?? 0) + 1);
    delete this.deliveries[id];
    delete this.deliveryErrors[id];
    delete this.deliveriesLoading[id];
  }

  /**
   * Keeps the statuses live while the page shows them: after each round of the worker
   * (a delivery may have gone through or failed) the list, and the logs that are open,
   * are read again, quietly. Returns the way to stop.
   */
  follow(): () => void {
    const again = throttle(() => {
      void this.#refresh();
      for (const key of Object.keys(this.deliveries)) {
        const id = Number(key);
        if (!this.#following.has(id)) void this.loadDeliveries(id);
      }
    }, THROTTLE_MS);
    const stop = onOutboxChanged(() => again());
    return () => {
      stop();
      again.cancel();
    };
  }

  /** The page is gone: nothing is followed, the secret is dropped, late answers change nothing. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#following.keys()]) this.#stopFollowing(id);
    this.shown = null;
  }

  #followTest(id: number, messageId: number): void {
    this.#stopFollowing(id);
    this.tests[id] = { messageId, following: true };
    let reading = false;
    let again = false;
    const read = async (): Promise<void> => {
      // One read at a time; an event during one asks for one more after it.
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      const res = await this.loadDeliveries(id);
      reading = false;
      if (!this.#following.has(id) || this.tests[id]?.messageId !== messageId) return;
      if (res.status === "ok" && testSettled(res.data, messageId)) {
        stop();
        return;
      }
      if (again) {
        again = false;
        void read();
      }
    };
    const unlisten = onOutboxChanged(() => void read());
    const timer = setInterval(() => void read(), TEST_POLL_MS);
    const deadline = setTimeout(() => stop(), TEST_FOLLOW_MS);
    const stop = (): void => {
      if (this.#following.get(id) !== stop) return;
      this.#following.delete(id);
      unlisten();
      clearInterval(timer);
      clearTimeout(deadline);
      const run = this.tests[id];
      if (run?.messageId === messageId) run.following = false;
      // The endpoint's badge follows its last delivery.
      if (!this.#closed) void this.#refresh();
    };
    this.#following.set(id, stop);
    void read();
  }

  #stopFollowing(id: number): void {
    this.#following.get(id)?.();
  }

  /** Reads the list again without showing "loading" (what is shown stays until then). */
  async #refresh(): Promise<void> {
    const mine = ++this.#listSeq;
    const res = await call(() => commands.listWebhooks());
    if (mine !== this.#listSeq || this.#closed) return;
    if (res.status === "ok") {
      this.items = res.data;
      this.error = null;
      this.loading = false;
    }
  }

  #put(endpoint: Endpoint): void {
    const at = this.items.findIndex((e) => e.id === endpoint.id);
    if (at >= 0) this.items[at] = endpoint;
    else this.items.push(endpoint);
  }
}
