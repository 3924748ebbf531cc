// The workspace's SMTP accounts: the list a page shows, and what can be done with one
// (save, remove, test the connection, send a test e-mail, trust a company CA), plus the
// settings suggested for an address.

import { call, commands, type CmdResult } from "../api";
import type {
  Account,
  AccountInput,
  ErrorPayload,
  ProbeReport,
  SentInfo,
  Suggestion,
} from "../bindings";

export class AccountsStore {
  items = $state<Account[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);

  async load(): Promise<CmdResult<Account[]>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.listAccounts());
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
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
    if (res.status === "ok") this.items = this.items.filter((a) => a.id !== id);
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

  /** Trusts a company CA (a PEM file's text) for one account. */
  async trustCa(id: number, pem: string): Promise<CmdResult<Account>> {
    const res = await call(() => commands.trustAccountCa(id, pem));
    if (res.status === "ok") this.#put(res.data, false);
    return res;
  }

  /** Settings for an address; null when none were found, or outside Tauri. */
  async suggest(email: string): Promise<Suggestion | null> {
    try {
      return await commands.suggestSettings(email);
    } catch {
      // Outside Tauri invoke throws; a missing suggestion is the honest answer.
      return null;
    }
  }

  /** Replaces the account in the list; appends it when `add` and it is not there. */
  #put(account: Account, add: boolean): void {
    const at = this.items.findIndex((a) => a.id === account.id);
    if (at >= 0) this.items[at] = account;
    else if (add) this.items.push(account);
  }
}
