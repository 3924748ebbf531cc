// Microsoft Teams (Entegrasyonlar › Toplantı): the Microsoft account "Takvime Ekle" makes
// Teams meetings with, and signing it in through the browser (./grant.svelte, as the
// Google cards'). Microsoft's own sign-in, apart from an Outlook sending account's: its
// token is for Microsoft Graph, not Outlook's SMTP.

import { commands } from "../api";
import { GrantStore } from "./grant.svelte";

export class TeamsStore extends GrantStore {
  constructor() {
    super({
      provider: "microsoft",
      status: () => commands.teamsStatus(),
      begin: (loginHint) => commands.beginTeamsConnect(loginHint),
      finish: () => commands.finishTeamsConnect(),
    });
  }
}
