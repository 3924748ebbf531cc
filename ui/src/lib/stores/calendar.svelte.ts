// Google Calendar ("Takvime Ekle"): the Google account the calendar uses and signing it
// in (./grant.svelte, as Google E-Tablolar'), and the events: what a company or one of
// its contacts proposes, adding one, the coming ones, deleting one; and, for whether an
// event's meeting can be made, the workspace's integrations (Zoom) and Microsoft Teams'
// sign-in.

import { call, commands, type CmdResult } from "../api";
import type { Connection, Event, EventInput, Integration } from "../bindings";
import { GrantStore } from "./grant.svelte";

export class CalendarStore extends GrantStore {
  constructor() {
    super({
      provider: "google",
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

  /**
   * The Microsoft account Teams meetings are made with; null when none is (teamsState in
   * ../calendar says what it means). Connected on Entegrasyonlar › Toplantı (TeamsStore),
   * so the panel reads it again each time it opens, as the integrations.
   */
  teamsStatus(): Promise<CmdResult<Connection | null>> {
    return call(() => commands.teamsStatus());
  }
}
