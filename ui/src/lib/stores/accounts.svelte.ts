// The workspace's SMTP accounts: the list a page shows, and what can be done with one
// (save, remove, test the connection, send a test e-mail, trust a company CA or remove
// it), plus the settings suggested for an address, the accounts signed in with OAuth
// (Google, Microsoft): the configured apps, the sign-in under way, disconnecting; and each
// account's sending now (today's count against its limits, when it sends next, its queue).

import { call, commands, type CmdResult } from "../api";
import type {
  Account,
  AccountInput,
  AccountSending,
  App,
  Disconnected,
  ErrorPayload,
  LookupOutcome,
  ProbeReport,
  Provider,
  Sending,
  SentInfo,
  Suggestion,
} from "../bindings";

/**
 * What the settings lookup for an address answered: the suggestion (null: none), and how
 * the lookup ended, so the page can say why there is none (null: it could not be asked,
 * e.g. outside Tauri).
 */
export interface Lookup {
  suggestion: Suggestion | null;
  outcome: LookupOutcome | null;
}

export class AccountsStore {
  items = $state<Account[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);
  /** The OAuth apps as configured (a provider whose clientId is "" cannot sign in). */
  oauthApps = $state<App[]>([]);
  /** The sign-in under way: the browser was sent to `url`; null when none is. */
  connecting = $state<{ provider: Provider; url: string } | null>(null);
  /** Each account's sending, as last read (kept when a later read fails). */
  sending = $state<AccountSending[]>([]);
  /** Reads under way answer in any order: only the latest one's answer is taken. */
  #sendingSeq = 0;

  async load(): Promise<CmdResult<Account[]>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.listAccounts());
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /** Reads every account's sending; on an error the last good list stays. */
  async loadSending(): Promise<CmdResult<AccountSending[]>> {
    const seq = ++this.#sendingSeq;
    const res = await call(() => commands.accountsSending());
    if (res.status === "ok" && seq === this.#sendingSeq) this.sending = res.data;
    return res;
  }

  /** The account's sending as last read; null when it has not been read. */
  sendingOf(id: number): Sending | null {
    return this.sending.find((s) => s.id === id)?.sending ?? null;
  }

  /** Creates (`id` null) or updates an account; the list takes the stored one. */
  async save(id: number | null, input: AccountInput): Promise<CmdResult<Account>> {
    const res = await call(() =>
      id === null ? commands.createAccount(input) : commands.updateAccount(id, input),
    );
    if (res.status === "ok") this.#put(res.data, true);
    return res;
  }

  async remove(id: number): Promise<CmdResult<null>> {
    const res = await call(() => commands.removeAccount(id));
    if (res.status === "ok") this.#drop(id);
    return res;
  }

  /** The stepwise connection test; sends nothing. */
  test(id: number): Promise<CmdResult<ProbeReport>> {
    return call(() => commands.testAccount(id));
  }

  /** A real test e-mail from the account to its own address. */
  sendTest(id: number): Promise<CmdResult<SentInfo>> {
    return call(() => commands.sendTestEmail(id));
  }

  /**
   * Trusts a company CA (a PEM file's text) for one account. A file the backend refuses
   * (smtp.ca_invalid, smtp.ca_private_key) is returned and changes nothing.
   */
  trustCa(id: number, pem: string): Promise<CmdResult<Account>> {
    return this.#setCa(id, pem);
  }

  /** Removes the account's company CA: it trusts the public authorities only again. */
  removeCa(id: number): Promise<CmdResult<Account>> {
    return this.#setCa(id, null);
  }

  async #setCa(id: number, pem: string | null): Promise<CmdResult<Account>> {
    const res = await call(() => commands.trustAccountCa(id, pem));
    if (res.status === "ok") this.#put(res.data, false);
    return res;
  }

  /** Settings for an address, and how the lookup ended; no suggestion outside Tauri. */
  async suggest(email: string): Promise<Lookup> {
    try {
      const found = await commands.suggestSettings(email);
      return { suggestion: found.suggestion, outcome: found.outcome };
    } catch {
      // Outside Tauri invoke throws: no suggestion, and no outcome to tell.
      return { suggestion: null, outcome: null };
    }
  }

  async loadOAuthApps(): Promise<CmdResult<App[]>> {
    const res = await call(() => commands.oauthApps());
    if (res.status === "ok") this.oauthApps = res.data;
    return res;
  }

  /**
   * Signs in with a provider: opens the browser (`connecting` holds its address while
   * Ulak waits, up to 5 minutes), then saves the account, which the list takes (a
   * reconnected one replaces itself). Errors are returned, `oauth.cancelled` too.
   */
  async connect(
    provider: Provider,
    loginHint: string | null,
    senderName: string,
  ): Promise<CmdResult<Account>> {
    try {
      const begun = await call(() => commands.beginConnect(provider, loginHint));
      if (begun.status !== "ok") return begun;
      this.connecting = { provider, url: begun.data };
      const res = await call(() => commands.finishConnect(senderName));
      if (res.status === "ok") this.#put(res.data, true);
      return res;
    } finally {
      this.connecting = null;
    }
  }

  /** Ends the sign-in under way (its `connect` answers `oauth.cancelled`). */
  cancelConnect(): Promise<CmdResult<boolean>> {
    return call(() => commands.cancelConnect());
  }

  /** Revokes an OAuth account's grant where the provider can, and removes the account. */
  async disconnect(id: number): Promise<CmdResult<Disconnected>> {
    const res = await call(() => commands.disconnectAccount(id));
    if (res.status === "ok") this.#drop(id);
    return res;
  }

  /** Takes a removed account out of the list and of the sending. */
  #drop(id: number): void {
    this.items = this.items.filter((a) => a.id !== id);
    this.sending = this.sending.filter((s) => s.id !== id);
  }

  /** Replaces the account in the list; appends it when `add` and it is not there. */
  #put(account: Account, add: boolean): void {
    const at = this.items.findIndex((a) => a.id === account.id);
    if (at >= 0) this.items[at] = account;
    else if (add) this.items.push(account);
  }
}
