// Google E-Tablolar (Google Sheets): the Google account that writes spreadsheets and
// signing it in (./grant.svelte, as the calendar's), its test, and the exports of the
// send history and of a campaign into a new or a chosen spreadsheet.

import { call, commands, type CmdResult } from "../api";
import type { Exported, Filter, Spreadsheet, Target } from "../bindings";
import { GrantStore } from "./grant.svelte";

export class SheetsStore extends GrantStore {
  constructor() {
    super({
      provider: "google",
      status: () => commands.sheetsStatus(),
      begin: (loginHint) => commands.beginSheetsConnect(loginHint),
      finish: () => commands.finishSheetsConnect(),
    });
  }

  /**
   * Google E-Tablolar' own test (in place of GrantStore's `test`): a fresh token and,
   * with an address (or id), that spreadsheet opened; nothing is written. Answers the
   * spreadsheet, null when none was named.
   */
  testSpreadsheet(spreadsheet: string): Promise<CmdResult<Spreadsheet | null>> {
    const named = spreadsheet.trim();
    return call(() => commands.testSheets(named === "" ? null : named));
  }

  /** The send history, as `filter` lists it, into the target's spreadsheet. */
  exportHistory(filter: Filter, target: Target): Promise<CmdResult<Exported>> {
    return call(() => commands.exportHistoryToSheets(filter, target));
  }

  /** A campaign's messages and how each went, into the target's spreadsheet. */
  exportCampaign(campaignId: number, target: Target): Promise<CmdResult<Exported>> {
    return call(() => commands.exportCampaignToSheets(campaignId, target));
  }
}
