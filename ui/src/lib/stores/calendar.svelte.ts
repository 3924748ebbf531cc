// Google Calendar ("Takvime Ekle"): the Google account the calendar uses and signing it
// in (./google.svelte, shared with Google E-Tablolar), and the events: what a company or
// one of its contacts proposes, adding one, the coming ones, deleting one; and the
// workspace's integrations, for whether Zoom can make an event's meeting.

import { call, commands, type CmdResult } from "../api";
import type { Event, EventInput, Integration } from "../bindings";
import { GoogleGrantStore } from "./google.svelte";

export class CalendarStore extends GoogleGrantStore {
  constructor() {
    super({
      status: () => commands.calendarStatus(),
      begin: (loginHint) => commands.beginCalendarConnect(loginHint),
      finish: () => commands.finishCalendarConnect(),
    });
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

  /**
   * The workspace's integrations, read for the panel alone (zoomState in ../calendar says
   * what they mean for Zoom): Zoom is set up on Entegrasyonlar, which this store does not
   * follow, so the panel reads them again each time it opens.
   */
  integrations(): Promise<CmdResult<Integration[]>> {
    return call(() => commands.listIntegrations());
  }
}
