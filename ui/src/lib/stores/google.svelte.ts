// A Google sign-in of its own (the calendar's, Google E-Tablolar'): which account it
// uses, and signing one in through the browser, as for the e-mail accounts — begin
// (the browser opens), then wait for its return; the OAuth Cancel ends the wait.

import { call, commands, type CmdResult } from "../api";
import type { Connection } from "../bindings";

/** The backend's three commands for one Google sign-in. */
export interface GoogleGrant {
  status: () => Promise<CmdResult<Connection | null>>;
  begin: (loginHint: string | null) => Promise<CmdResult<string>>;
  finish: () => Promise<CmdResult<Connection>>;
}

export class GoogleGrantStore {
  /** The Google account used; null when none is connected (or not read yet). */
  status = $state<Connection | null>(null);
  /** The sign-in under way: the browser was sent to `url`; null when none is. */
  connecting = $state<{ url: string } | null>(null);

  readonly #grant: GoogleGrant;

  constructor(grant: GoogleGrant) {
    this.#grant = grant;
  }

  /** Reads which account is used; `status` keeps the last one when that fails. */
  async loadStatus(): Promise<CmdResult<Connection | null>> {
    const res = await call(() => this.#grant.status());
    if (res.status === "ok") this.status = res.data;
    return res;
  }

  /**
   * Signs the Google account in: opens the browser (`connecting` holds its address
   * while Ulak waits, up to 5 minutes), then takes the account as `status`. Errors are
   * returned, `oauth.cancelled` too.
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
}
