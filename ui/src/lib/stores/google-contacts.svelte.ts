// Google Kişiler (Google Contacts): the Google account contacts are read from and
// signing it in (./grant.svelte, as the calendar's and Google E-Tablolar'), a company's
// candidates read page by page (how many so far), and the chosen ones merged into the
// company (done of total).

import { Channel } from "@tauri-apps/api/core";
import { call, commands, type CmdResult } from "../api";
import type { Candidate, MergeReport, Person } from "../bindings";
import { GrantStore } from "./grant.svelte";

export class GoogleContactsStore extends GrantStore {
  /** How many contacts the read under way has read so far (pages of 1000). */
  read = $state(0);
  /** People merged of those sent while an import runs; all of them once it is over. */
  progress = $state({ done: 0, total: 0 });
  /** Counts the reads (and the imports): a former one's progress is not shown. */
  #readSeq = 0;
  #importSeq = 0;

  constructor() {
    super({
      provider: "google",
      status: () => commands.googleContactsStatus(),
      begin: (loginHint) => commands.beginGoogleContactsConnect(loginHint),
      finish: () => commands.finishGoogleContactsConnect(),
    });
  }

  /** The Google contacts for the company, the suggested first; `read` follows the pages. */
  async candidates(companyId: number): Promise<CmdResult<Candidate[]>> {
    const mine = ++this.#readSeq;
    this.read = 0;
    return call(async () => {
      const channel = new Channel<number>();
      channel.onmessage = (n) => {
        if (mine === this.#readSeq) this.read = n;
      };
      return commands.googleContactsCandidates(companyId, channel);
    });
  }

  /** Merges the people into the company; `progress` follows it. */
  async importPeople(companyId: number, people: Person[]): Promise<CmdResult<MergeReport>> {
    const mine = ++this.#importSeq;
    this.progress = { done: 0, total: people.length };
    const res = await call(async () => {
      const channel = new Channel<[number, number]>();
      channel.onmessage = ([done, total]) => {
        if (mine === this.#importSeq) this.progress = { done, total };
      };
      return commands.importGoogleContacts(companyId, people, channel);
    });
    if (res.status === "ok" && mine === this.#importSeq) {
      this.progress = { done: people.length, total: people.length };
    }
    return res;
  }
}
