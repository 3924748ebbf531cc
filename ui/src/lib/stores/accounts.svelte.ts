// The workspace's SMTP accounts: the list a page shows, and what can be done with one
// (save, remove, test the connection, send a test e-mail, trust a company CA or remove
// it), the connection test and the test e-mail on a form's settings as typed (before
// saving), plus the settings suggested for an address, the accounts signed in with OAuth
// (Google, Microsoft): the configured apps, the sign-in under way, disconnecting; and each
// account's sending now (today's count against its limits, when it sends next, its queue).
// "Tüm hesapları test et" tests every account of the list, one after another. Each account
// also has a Reply-To address and a signature (saveExtras). Whether an account's domain is
// ready for bulk mail (SPF, DKIM, DMARC) is asked of DNS on request (checkDomain, or
// checkDomains for several, as Kampanyalar does for the chosen accounts).

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
  Readiness,
  Sending,
  SentInfo,
  Suggestion,
} from "../bindings";
import { inputMatchesSaved } from "../smtp";

/**
 * What the settings lookup for an address answered: the suggestion (null: none), and how
 * the lookup ended, so the page can say why there is none (null: it could not be asked,
 * e.g. outside Tauri).
 */
export interface Lookup {
  suggestion: Suggestion | null;
  outcome: LookupOutcome | null;
}

/** One account's connection test in "Tüm hesapları test et". */
export interface AccountTestOutcome {
  id: number;
  email: string;
  /** The test ran and every step passed. */
  ok: boolean;
  /** The backend's report; null when the test could not run (`error` says why). */
  report: ProbeReport | null;
  error: ErrorPayload | null;
}

/** "Tüm hesapları test et": how far it got, and each tested account's outcome in order. */
export interface TestAllRun {
  running: boolean;
  /** Accounts tested so far, out of `total`. */
  done: number;
  total: number;
  results: AccountTestOutcome[];
}

/** One account's domain check among several (Kampanyalar: the chosen accounts). */
export interface DomainOutcome {
  id: number;
  email: string;
  /** The answer; null when the check could not run (`error` says why). */
  readiness: Readiness | null;
  error: ErrorPayload | null;
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
  /** The last "Tüm hesapları test et" (null: none yet). */
  testAllRun = $state<TestAllRun | null>(null);
  /** Bumped by `stopTestAll`: a run started before stops after its current test. */
  #testAllSeq = 0;

  async load(): Promise<CmdResult<Account[]>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.listAccounts());
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /** Reads the list again while it stays on screen (no `loading`); an error keeps it. */
  async refresh(): Promise<CmdResult<Account[]>> {
    const res = await call(() => commands.listAccounts());
    if (res.status === "ok") this.items = res.data;
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

  /** The stepwise connection test of a saved account; sends nothing. */
  test(id: number): Promise<CmdResult<ProbeReport>> {
    return call(() => commands.testAccount(id));
  }

  /**
   * The same test on the form's settings as typed, before saving: nothing is stored and
   * the list does not change. `id` is the account being edited (null: a new one): an
   * empty password then means its saved one, on the same server only (another host, port
   * or security answers smtp.password_again, as saving does); a new account needs one.
   * A refused input (validation.*, smtp.settings_incomplete) is returned as an error.
   */
  testInput(input: AccountInput, id: number | null): Promise<CmdResult<ProbeReport>> {
    return call(() => commands.testAccountInput(input, id));
  }

  /** "Tüm hesapları test et" is under way. */
  get testingAll(): boolean {
    return this.testAllRun?.running === true;
  }

  /**
   * Tests every account of the list (OAuth ones too, as the single test does), one after
   * another: servers dislike many sign-ins at once. `testAllRun` counts them and takes
   * each outcome in the list's order; a failed one does not stop the rest. Then the list
   * and the sending are read again (a passed test can make an account active again).
   * Resolves to the outcomes; to none when a run is under way already.
   */
  async testAll(): Promise<AccountTestOutcome[]> {
    if (this.testingAll) return [];
    const seq = ++this.#testAllSeq;
    const accounts = this.items.map((a) => ({ id: a.id, email: a.email }));
    const results: AccountTestOutcome[] = [];
    this.testAllRun = { running: true, done: 0, total: accounts.length, results: [] };
    for (const { id, email } of accounts) {
      const res = await this.test(id);
      if (seq !== this.#testAllSeq) return results;
      results.push({
        id,
        email,
        ok: res.status === "ok" && res.data.success,
        report: res.status === "ok" ? res.data : null,
        error: res.status === "ok" ? null : res.error,
      });
      this.testAllRun = { running: true, done: results.length, total: accounts.length, results: [...results] };
    }
    await Promise.all([this.refresh(), this.loadSending()]);
    if (seq === this.#testAllSeq) {
      this.testAllRun = { running: false, done: results.length, total: accounts.length, results };
    }
    return results;
  }

  /** Stops a "Tüm hesapları test et" under way after its current test (the page closed). */
  stopTestAll(): void {
    this.#testAllSeq++;
    if (this.testAllRun?.running) this.testAllRun = { ...this.testAllRun, running: false };
  }

  /** A real test e-mail from the account to its own address. */
  sendTest(id: number): Promise<CmdResult<SentInfo>> {
    return call(() => commands.sendTestEmail(id));
  }

  /**
   * The same test e-mail from the form's settings as typed, before saving: nothing is
   * stored and the list does not change. `id` as for `testInput` (the edited account's
   * saved password and CA apply on the same server only; a new account needs a password).
   * A refused input (validation.*, smtp.settings_incomplete, smtp.password_again) or a
   * failed send (smtp.auth_failed, smtp.relay_refused, …) is returned as an error.
   */
  sendTestInput(input: AccountInput, id: number | null): Promise<CmdResult<SentInfo>> {
    return call(() => commands.sendTestEmailInput(input, id));
  }

  /**
   * The form's "Test e-postası gönder": while the form holds exactly the saved account
   * `id` (inputMatchesSaved), the saved account's test e-mail; otherwise (a new account,
   * unsaved changes, an account not in the list) the one of the settings as typed.
   */
  sendFormTest(input: AccountInput, id: number | null): Promise<CmdResult<SentInfo>> {
    const saved = id === null ? null : (this.items.find((a) => a.id === id) ?? null);
    return saved && inputMatchesSaved(saved, input)
      ? this.sendTest(saved.id)
      : this.sendTestInput(input, id);
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

  /**
   * Sets the account's Reply-To address and signature ("" clears either); the list takes
   * the stored account. A refused value (validation.email on replyTo, validation.too_long
   * or validation.control_chars on signature) is returned and changes nothing.
   */
  async saveExtras(id: number, replyTo: string, signature: string): Promise<CmdResult<Account>> {
    const res = await call(() => commands.setAccountExtras(id, replyTo, signature));
    if (res.status === "ok") this.#put(res.data, false);
    return res;
  }

  /**
   * Is the account's domain ready for bulk mail: SPF and DMARC from DNS, DKIM from the
   * pasted headers of a mail it sent (`headers`; blank: common selectors are tried).
   * Asks DNS: only on the user's request.
   */
  checkDomain(id: number, headers: string | null): Promise<CmdResult<Readiness>> {
    const pasted = headers?.trim() ? headers : null;
    return call(() => commands.checkAccountDomain(id, pasted));
  }

  /**
   * Checks several accounts' domains (no headers), one after another, each answer or
   * error in the order given; an account sharing a domain with one checked before is
   * asked all the same (its provider may differ).
   */
  async checkDomains(accounts: readonly Pick<Account, "id" | "email">[]): Promise<DomainOutcome[]> {
    const outcomes: DomainOutcome[] = [];
    for (const { id, email } of accounts) {
      const res = await this.checkDomain(id, null);
      outcomes.push({
        id,
        email,
        readiness: res.status === "ok" ? res.data : null,
        error: res.status === "ok" ? null : res.error,
      });
    }
    return outcomes;
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
