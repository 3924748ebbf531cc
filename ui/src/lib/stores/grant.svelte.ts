// A sign-in of its own (Google's for the calendar, Google E-Tablolar, Google Kişiler and
// Google Drive; Microsoft's for Teams meetings): which account it uses, signing one in
// through the browser, as for the e-mail accounts — begin (the browser opens), then wait
// for its return; the OAuth Cancel ends the wait —, "Bağlantıyı Test Et" and
// "Bağlantıyı kaldır".

import { call, commands, type CmdResult } from "../api";
import type { Connection, GrantRemoved, Provider } from "../bindings";

/** The backend's three commands for one sign-in, and whose sign-in it is. */
export interface Grant {
  provider: Provider;
  status: () => Promise<CmdResult<Connection | null>>;
  begin: (loginHint: string | null) => Promise<CmdResult<string>>;
  finish: () => Promise<CmdResult<Connection>>;
}

export class GrantStore {
  /** The account used; null when none is connected (or not read yet). */
  status = $state<Connection | null>(null);
  /** The sign-in under way: the browser was sent to `url`; null when none is. */
  connecting = $state<{ url: string } | null>(null);
  /** Whose OAuth app it signs in with (its client ID must be set: see appUnset). */
  readonly provider: Provider;

  readonly #grant: Grant;

  constructor(grant: Grant) {
    this.#grant = grant;
    this.provider = grant.provider;
  }

  /** Reads which account is used; `status` keeps the last one when that fails. */
  async loadStatus(): Promise<CmdResult<Connection | null>> {
    const res = await call(() => this.#grant.status());
    if (res.status === "ok") this.status = res.data;
    return res;
  }

  /**
   * Signs the account in: opens the browser (`connecting` holds its address while Ulak
   * waits, up to 5 minutes), then takes the account as `status`. Errors are returned,
   * `oauth.cancelled` too.
   */
  async connect(loginHint: string | null): Promise<CmdResult<Connection>> {
    try {
      const begun = await call(() => this.#grant.begin(loginHint));
      if (begun.status !== "ok") return begun;
      this.connecting = { url: begun.data };
      const res = await call(() => this.#grant.finish());
      if (res.status === "ok") this.status = res.data;
      return res;
    } finally {
      this.connecting = null;
    }
  }

  /** Ends the sign-in under way (its `connect` answers `oauth.cancelled`). */
  cancelConnect(): Promise<CmdResult<boolean>> {
    return call(() => commands.cancelConnect());
  }

  /**
   * "Bağlantıyı Test Et": the backend asks the provider for a fresh access token for the
   * connection (nothing else is called). A withdrawn grant answers `oauth.reconnect` and
   * the backend marks the connection "error" (`loadStatus` reads that); a provider out of
   * reach answers `oauth.unreachable`. `status` is left as it was: the caller reads it
   * again after a failure.
   */
  test(connectionId: number): Promise<CmdResult<null>> {
    return call(() => commands.testGrant(connectionId));
  }

  /**
   * "Bağlantıyı kaldır": revokes the connection's grant and deletes its tokens; a
   * sending account signed in with it goes too (the answer counts them). Once done no
   * account is used here. Other cards signed in with the same connection (Google's
   * covers every card of one address) lose it as well: their stores read it again.
   */
  async disconnect(connectionId: number): Promise<CmdResult<GrantRemoved>> {
    const res = await call(() => commands.disconnectGrant(connectionId));
    if (res.status === "ok" && this.status?.id === connectionId) this.status = null;
    return res;
  }
}
