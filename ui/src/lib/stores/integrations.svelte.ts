// The workspace's integrations (providers other than its SMTP accounts, set up from their
// specs): the list Entegrasyonlar and SMS Gönder show, saving one, testing one and
// removing one.

import { call, commands, onOutboxChanged, type CmdResult } from "../api";
import type { ErrorPayload, Integration, IntegrationInput, MessageChannel } from "../bindings";

export class IntegrationsStore {
  items = $state<Integration[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);

  async load(): Promise<CmdResult<Integration[]>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.listIntegrations());
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /**
   * Creates or changes the workspace's integration with a provider (secrets left out keep
   * the stored ones); the list takes the stored one, in place or at the end.
   */
  async save(
    channel: MessageChannel,
    provider: string,
    input: IntegrationInput,
  ): Promise<CmdResult<Integration>> {
    const res = await call(() => commands.saveIntegration(channel, provider, input));
    if (res.status === "ok") this.#put(res.data);
    return res;
  }

  /**
   * "Bağlantıyı kaldır": deletes the workspace's integration with a provider and its
   * secrets (Resend's: its sending account too); the list is read again.
   */
  async remove(channel: MessageChannel, provider: string): Promise<CmdResult<null>> {
    const res = await call(() => commands.removeIntegration(channel, provider));
    if (res.status === "ok") {
      this.items = this.items.filter((i) => !(i.channel === channel && i.provider === provider));
      await this.#refresh();
    }
    return res;
  }

  /**
   * The provider's connection test with the stored settings: true when it took the
   * credentials, false when it has nothing to test; `integration.test_failed` carries
   * the provider's words in `message`.
   */
  async test(channel: MessageChannel, provider: string): Promise<CmdResult<boolean>> {
    const res = await call(() => commands.testIntegration(channel, provider));
    // The test's verdict is the integration's status too: read it back.
    await this.#refresh();
    return res;
  }

  /**
   * Keeps the statuses live while a page shows them: after each round of the worker
   * (a failed send may have put an integration in trouble, a sent one out of it) the
   * list is read again, quietly. Returns the way to stop.
   */
  follow(): () => void {
    return onOutboxChanged(() => void this.#refresh());
  }

  /** Reads the list again without showing "loading" (what is shown stays until then). */
  async #refresh(): Promise<void> {
    const res = await call(() => commands.listIntegrations());
    if (res.status === "ok") this.items = res.data;
  }

  #put(integration: Integration): void {
    const at = this.items.findIndex(
      (i) => i.channel === integration.channel && i.provider === integration.provider,
    );
    if (at >= 0) this.items[at] = integration;
    else this.items.push(integration);
  }
}
