// Google Calendar ("Takvime Ekle"): the Google account the calendar uses, signing it in
// (the browser, as for the e-mail accounts), and the events: what a company or one of
// its contacts proposes, adding one, the coming ones, deleting one.

import { call, commands, type CmdResult } from "../api";
import type { Connection, Event, EventInput } from "../bindings";

export class CalendarStore {
  /** The Google account the calendar uses; null when none is connected (or not read yet). */
  status = $state<Connection | null>(null);
  /** The sign-in under way: the browser was sent to `url`; null when none is. */
  connecting = $state<{ url: string } | null>(null);

  /** Reads which account the calendar uses; `status` keeps the last one when that fails. */
  async loadStatus(): Promise<CmdResult<Connection | null>> {
    const res = await call(() => commands.calendarStatus());
    if (res.status === "ok") this.status = res.data;
    return res;
  }

  /**
   * Signs the calendar's Google account in: opens the browser (`connecting` holds its
   * address while Ulak waits, up to 5 minutes), then takes the account as `status`.
   * Errors are returned, `oauth.cancelled` too.
   */
  async connect(loginHint: string | null): Promise<CmdResult<Connection>> {
    try {
      const begun = await call(() => commands.beginCalendarConnect(loginHint));
      if (begun.status !== "ok") return begun;
      this.connecting = { url: begun.data };
      const res = await call(() => commands.finishCalendarConnect());
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

  /** The event proposed for a company and, when given, one of its contacts. */
  prefill(companyId: number, contactId: number | null): Promise<CmdResult<EventInput>> {
    return call(() => commands.calendarPrefill(companyId, contactId));
  }

  /** Creates the event (its attendees are invited by Google); answers it with its links. */
  add(input: EventInput): Promise<CmdResult<Event>> {
    return call(() => commands.addCalendarEvent(input));
  }

  /** The events of the coming `days` days. */
  upcoming(days: number): Promise<CmdResult<Event[]>> {
    return call(() => commands.upcomingEvents(days));
  }

  remove(id: string): Promise<CmdResult<null>> {
    return call(() => commands.deleteCalendarEvent(id));
  }
}
