// "Takvime Ekle" end to end, in the window at 800 px: on a customer's contact, Google
// Calendar is connected through the local authorization server (the test playing the
// browser), the event comes filled in from the contact, a wrong invitee is named and
// blocks nothing else, and the saved event reaches the Google-shaped Calendar API
// (tests/servers/google_api.py, which checks events.insert as Google documents it)
// with a Meet link, shown back as links. Then Zoom is set up on Entegrasyonlar › Toplantı
// against the Zoom-shaped server (a wrong secret fails its test, the right one passes),
// a second event gets a Zoom meeting whose link reaches the invitation; Microsoft Teams
// is connected on its card with a Microsoft sign-in and a third event gets a Teams
// meeting through the Graph-shaped server; and with Zoom gone its card turns to "Hata"
// with why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import {
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  ZOOM_ACCOUNT,
  ZOOM_CLIENT,
  ZOOM_SECRET,
  authorize,
  startGoogleApi,
  startGraph,
  startOAuth,
  startZoom,
} from "./providers.mjs";

test("an event from a contact with a Meet link, then Zoom and Teams meetings, in Google Calendar", async () => {
  const auth = await startOAuth(true);
  const api = await startGoogleApi();
  const zoom = await startZoom();
  const msAuth = await startOAuth(false);
  const graph = await startGraph();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-calendar-"));
  cli(
    dataDir,
    ["oauth", "config", "google", "--client-id", OAUTH_CLIENT_ID, "--client-secret-stdin",
      "--authorize-url", `${auth.base}/authorize`, "--token-url", `${auth.base}/token`,
      "--revoke-url", `${auth.base}/revoke`, "--api-base", api.base],
    {},
    `${OAUTH_CLIENT_SECRET}\n`,
  );
  cli(dataDir, ["oauth", "config", "microsoft", "--client-id", OAUTH_CLIENT_ID,
    "--authorize-url", `${msAuth.base}/authorize`, "--token-url", `${msAuth.base}/token`,
    "--api-base", graph.base]);
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda"]).trim();
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Işıl Şahin", "--email", "isil@öztürkgıda.com.tr"]);
  const tomorrow = execFileSync("date", ["-d", "tomorrow", "+%Y-%m-%dT15:30"], { encoding: "utf8" }).trim();

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 760);
    await s.click("#nav-companies");
    await s.click("li.company-row .row-button");
    await s.click(".contact-calendar");
    await s.waitFor("#calendar-not-connected");
    await until("the event filled in from the contact", async () =>
      (await s.value("#event-title")) === "Öztürk Gıda — Işıl Şahin ile görüşme");
    assert.equal(await s.value("#event-attendees"), "isil@öztürkgıda.com.tr");
    assert.equal(await s.value("#event-reminder"), "30");
    // Zoom is not set up: the panel says where to do it, its choice disabled.
    await s.waitFor("#event-meeting-zoom-missing");
    assert.equal(await s.execute("return document.querySelector(\"#event-meeting option[value='zoom']\").disabled"), true);

    await s.type("#calendar-connect-email", "ayşe@gmail.com");
    await s.click("#calendar-connect");
    const url = await until("the sign-in address", () => s.attr("#calendar-connect-url", "data-url"));
    assert.match(url, /calendar\.events/);
    const page = await fetch(await authorize(url));
    assert.equal(page.status, 200);
    await s.waitFor("#calendar-account");
    assert.match(await s.text("#calendar-account"), /ayşe@gmail\.com/);

    // A wrong invitee is named; fixed, the event goes.
    await s.type("#event-attendees", "isil@öztürkgıda.com.tr, kimse");
    await s.waitFor("#event-attendees[aria-invalid='true']");
    const before = api.requests().length;
    await s.type("#event-attendees", "isil@öztürkgıda.com.tr, satis@firma.com.tr");
    await s.paste("#event-start", tomorrow);
    await s.type("#event-location", "Kadıköy ofisi — 3. kat");
    await s.selectValue("#event-meeting", "meet");
    await s.click("#event-save");
    await s.waitFor("#event-done");
    const meet = await s.attr("#event-meeting-link", "href");
    assert.match(meet, /^https:\/\/meet\.google\.com\//);
    assert.match(await s.attr("#event-link", "href"), /^https:\/\/www\.google\.com\/calendar\/event\?eid=/);
    await s.execute("document.querySelector('#event-done').scrollIntoView({ block: 'center' })");
    await s.screenshot("calendar-event-done.png");

    const inserts = api.requests().slice(before).filter((r) => r.method === "POST");
    assert.equal(inserts.length, 1);
    const sent = inserts[0];
    assert.deepEqual(sent.problems, []);
    assert.equal(sent.query.sendUpdates, "all");
    assert.equal(sent.query.conferenceDataVersion, "1");
    assert.equal(sent.event.start.dateTime, `${tomorrow}:00`);
    assert.equal(sent.event.start.timeZone, "Europe/Istanbul");
    assert.deepEqual(sent.event.attendees.map((a) => a.email), ["isil@öztürkgıda.com.tr", "satis@firma.com.tr"]);
    assert.equal(sent.event.location, "Kadıköy ofisi — 3. kat");
    const listed = JSON.parse(cli(dataDir, ["calendar", "list", "--days", "3", "--json"]));
    assert.equal(listed.length, 1);
    assert.equal(listed[0].meeting.url, meet);
    assert.equal(listed[0].meeting.kind, "meet");

    // Entegrasyonlar › Toplantı: Zoom's card from its spec; a wrong secret fails the test.
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-meeting");
    await s.waitFor(".integration-card[data-provider='zoom'] .integration-status[data-state='not_connected']");
    await s.click("#int-meeting-zoom-edit");
    await s.type("#int-meeting-zoom-account-id", ZOOM_ACCOUNT);
    await s.type("#int-meeting-zoom-client-id", ZOOM_CLIENT);
    await s.type("#int-meeting-zoom-client-secret", "yanlış-parola");
    await s.type("#int-meeting-zoom-base-url", zoom.base);
    await s.click("#int-meeting-zoom-save");
    await s.waitFor("#int-meeting-zoom-status[data-state='saved']");
    assert.equal(await s.value("#int-meeting-zoom-client-secret"), "", "the secret is not shown again");
    await s.click("#int-meeting-zoom-test");
    await s.waitFor("#int-meeting-zoom-test-result[data-state='failed']");
    assert.match(await s.text("#int-meeting-zoom-test-result"), /invalid_client/);
    await s.waitFor(".integration-card[data-provider='zoom'] .integration-status[data-state='error']");
    // The right one: the test passes, the card is "Bağlı".
    await s.type("#int-meeting-zoom-client-secret", ZOOM_SECRET);
    await s.click("#int-meeting-zoom-save");
    await s.waitFor("#int-meeting-zoom-status[data-state='saved']");
    await s.click("#int-meeting-zoom-test");
    await s.waitFor("#int-meeting-zoom-test-result[data-state='ok']");
    await s.waitFor(".integration-card[data-provider='zoom'] .integration-status[data-state='connected']");
    assert.equal(zoom.requests().filter((r) => r.path.includes("/meetings")).length, 0, "a test makes no meeting");

    // A second event with a Zoom meeting: made first, its link in the invitation.
    await s.click("#nav-companies");
    await s.click("li.company-row .row-button");
    await s.click(".contact-calendar");
    await until("the event filled in again", async () =>
      (await s.value("#event-title")) === "Öztürk Gıda — Işıl Şahin ile görüşme");
    await until("Zoom offered", () =>
      s.execute("return !document.querySelector(\"#event-meeting option[value='zoom']\").disabled"));
    await s.paste("#event-start", tomorrow);
    await s.selectValue("#event-meeting", "zoom");
    const beforeZoom = api.requests().length;
    await s.click("#event-save");
    await s.waitFor("#event-done");
    const zoomLink = await s.attr("#event-meeting-link", "href");
    assert.match(zoomLink, /^https:\/\/us05web\.zoom\.us\/j\/\d+/);
    assert.match(await s.text("#event-meeting-id"), /a1B2c3/);
    await s.execute("document.querySelector('#event-done').scrollIntoView({ block: 'center' })");
    await s.screenshot("calendar-event-zoom.png");
    const zoomInsert = api.requests().slice(beforeZoom).filter((r) => r.method === "POST");
    assert.equal(zoomInsert.length, 1);
    assert.deepEqual(zoomInsert[0].problems, []);
    assert.equal(zoomInsert[0].event.location, zoomLink);
    assert.match(zoomInsert[0].event.description, /Zoom toplantısı: https:\/\/us05web\.zoom\.us\/j\//);
    assert.equal(zoomInsert[0].query.conferenceDataVersion, undefined, "no Meet asked for");
    const made = zoom.requests().filter((r) => r.method === "POST" && r.path.endsWith("/meetings"));
    assert.equal(made.length, 1, "one meeting");
    assert.deepEqual(made[0].problems, []);
    assert.equal(made[0].json.topic, "Öztürk Gıda — Işıl Şahin ile görüşme");
    assert.equal(made[0].json.start_time, `${tomorrow}:00`);
    assert.equal(made[0].json.timezone, "Europe/Istanbul");

    // Microsoft Teams: not connected yet, then signed in on its card (Microsoft's own
    // sign-in, a work account), and a third event gets a Teams meeting.
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-meeting");
    await s.waitFor("#int-meeting-teams .integration-status[data-state='not_connected']");
    await s.type("#int-meeting-teams-email", "satis@firma.com.tr");
    await s.click("#int-meeting-teams-connect");
    const teamsUrl = await until("the Microsoft sign-in address", () => s.attr("#int-meeting-teams-url", "data-url"));
    assert.match(teamsUrl, /OnlineMeetings\.ReadWrite/);
    assert.doesNotMatch(teamsUrl, /outlook\.office\.com/, "one resource a sign-in");
    assert.equal((await fetch(await authorize(teamsUrl))).status, 200);
    await s.waitFor("#int-meeting-teams .integration-status[data-state='connected']");
    assert.match(await s.text("#int-meeting-teams-account"), /satis@firma\.com\.tr/);
    await s.execute("document.querySelector('#int-meeting-teams').scrollIntoView()");
    await s.screenshot("integrations-meeting-teams.png");

    await s.click("#nav-companies");
    await s.click("li.company-row .row-button");
    await s.click(".contact-calendar");
    await until("the event filled in once more", async () =>
      (await s.value("#event-title")) === "Öztürk Gıda — Işıl Şahin ile görüşme");
    await until("Teams offered", () =>
      s.execute("return !document.querySelector(\"#event-meeting option[value='teams']\").disabled"));
    await s.paste("#event-start", tomorrow);
    await s.selectValue("#event-meeting", "teams");
    await s.click("#event-save");
    await s.waitFor("#event-done");
    assert.equal(await s.attr("#event-meeting-link", "data-kind"), "teams");
    assert.match(await s.attr("#event-meeting-link", "href"), /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const teamsPosts = graph.requests().filter((r) => r.method === "POST");
    assert.equal(teamsPosts.length, 1, "one Teams meeting");
    assert.deepEqual(teamsPosts[0].problems, []);
    assert.match(teamsPosts[0].json.startDateTime, new RegExp(`^${tomorrow}:00\\+03:00$`));

    // Teams' card: its test gets a fresh token; once Microsoft withdraws the grant the
    // test fails and the card turns to "Hata"; "Bağlantıyı kaldır" then removes it.
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-meeting");
    await s.click("#int-meeting-teams-test");
    await s.waitFor("#int-meeting-teams-test-result[data-state='ok']");
    await fetch(`${msAuth.base}/control/refuse-refresh`, { method: "POST" });
    await s.click("#int-meeting-teams-test");
    await s.waitFor("#int-meeting-teams-test-result[data-state='failed']");
    await s.waitFor("#int-meeting-teams .integration-status[data-state='error']");
    await s.click("#int-meeting-teams-disconnect");
    await s.click("#int-meeting-teams-disconnect-confirm");
    await s.waitFor("#int-meeting-teams .integration-status[data-state='not_connected']");

    // Zoom goes away: its test fails and the card turns to "Hata" with why.
    zoom.stop();
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-meeting");
    await s.click("#int-meeting-zoom-test");
    await s.waitFor("#int-meeting-zoom-test-result[data-state='failed']");
    await s.waitFor(".integration-card[data-provider='zoom'] .integration-status[data-state='error']");
    await s.waitFor("#int-meeting-zoom-error[data-code='unreachable']");
    await s.execute("document.querySelector('.integration-card[data-provider=zoom]').scrollIntoView()");
    await s.screenshot("integrations-meeting.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    auth.stop();
    api.stop();
    zoom.stop();
    msAuth.stop();
    graph.stop();
  }
});
