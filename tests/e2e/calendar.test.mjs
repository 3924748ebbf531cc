// "Takvime Ekle" end to end, in the window at 800 px: on a customer's contact, Google
// Calendar is connected through the local authorization server (the test playing the
// browser), the event comes filled in from the contact, a wrong invitee is named and
// blocks nothing else, and the saved event reaches the Google-shaped Calendar API
// (tests/servers/google_api.py, which checks events.insert as Google documents it)
// with a Meet link, shown back as links.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, authorize, startGoogleApi, startOAuth } from "./providers.mjs";

test("an event from a contact, with a Meet link, in Google Calendar", async () => {
  const auth = await startOAuth(true);
  const api = await startGoogleApi();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-calendar-"));
  cli(
    dataDir,
    ["oauth", "config", "google", "--client-id", OAUTH_CLIENT_ID, "--client-secret-stdin",
      "--authorize-url", `${auth.base}/authorize`, "--token-url", `${auth.base}/token`,
      "--revoke-url", `${auth.base}/revoke`, "--api-base", api.base],
    {},
    `${OAUTH_CLIENT_SECRET}\n`,
  );
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
    await s.click("#event-meet");
    await s.click("#event-save");
    await s.waitFor("#event-done");
    const meet = await s.attr("#event-meet-link", "href");
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
    assert.equal(listed[0].meetLink, meet);
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    auth.stop();
    api.stop();
  }
});
