// OAuth accounts end to end, in the window, against the local authorization server
// (tests/servers/oauth.py, which checks PKCE, state and one-time codes) with the test
// playing the browser: "Google ile bağlan" through the loopback redirect, then a mail
// from that account goes out through the Gmail-shaped API; "Microsoft ile bağlan" on
// the ulak://oauth/callback redirect, the link handed to the running window by a
// second launch of the app (as the desktop does), which then exits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_BIN, startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, authorize, startGoogleApi, startOAuth } from "./providers.mjs";

function configure(dataDir, provider, auth, apiBase, extra = []) {
  const google = provider === "google";
  cli(
    dataDir,
    ["oauth", "config", provider, "--client-id", OAUTH_CLIENT_ID,
      "--authorize-url", `${auth.base}/authorize`, "--token-url", `${auth.base}/token`,
      "--revoke-url", google ? `${auth.base}/revoke` : "", "--api-base", apiBase,
      ...(google ? ["--client-secret-stdin"] : []), ...extra],
    {},
    google ? `${OAUTH_CLIENT_SECRET}\n` : "",
  );
}

test("Gmail by the loopback redirect sends; Microsoft by a deep link to the running app", async () => {
  const google = await startOAuth(true);
  const microsoft = await startOAuth(false);
  const gmail = await startGoogleApi();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-oauth-"));
  configure(dataDir, "google", google, gmail.base);
  configure(dataDir, "microsoft", microsoft, microsoft.base, ["--redirect", "deep-link"]);
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 760);
    await s.click("#nav-email-settings");
    await s.waitFor("#connect-google:not([disabled])");
    await s.type("#connect-email", "ayşe.yılmaz@gmail.com");
    await s.type("#connect-sender-name", "Ayşe Yılmaz — Öztürk Gıda");
    await s.click("#connect-google");
    await s.waitFor("#connect-waiting");
    const url = await until("the sign-in address", () => s.attr("#connect-url", "data-url"));
    assert.match(url, /code_challenge_method=S256/);
    await s.screenshot("oauth-waiting.png");
    const back = await authorize(url);
    assert.match(back, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/);
    const page = await fetch(back);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Ulak'a dönebilirsiniz/);
    await s.waitFor("#connect-done");
    const item = "#accounts-list li .account-oauth";
    await s.waitFor(item);
    assert.match(await s.text(item), /Google ile bağlı/);
    await s.screenshot("oauth-connected.png");

    // A mail from the new account goes out through the Gmail API (the app's worker).
    const accounts = JSON.parse(cli(dataDir, ["accounts", "list", "--json"]));
    const gmailAccount = accounts.find((a) => a.email === "ayşe.yılmaz@gmail.com");
    assert.equal(gmailAccount.oauth.provider, "google");
    const company = cli(dataDir, ["companies", "add", "Öztürk Gıda"]).trim();
    const body = join(dataDir, "govde.txt");
    writeFileSync(body, "Merhaba Şükrü Bey, teklifimiz ektedir.\n");
    cli(dataDir, ["send", "--account", String(gmailAccount.id), "--company", company,
      "--to", "sukru@öztürkgıda.com.tr", "--subject", "Şubat teklifi", "--body-file", body]);
    const sent = await until("the mail at the Gmail API", () =>
      gmail.requests().find((r) => r.id), 60000);
    assert.deepEqual(sent.problems, []);
    assert.equal(sent.from, "ayşe.yılmaz@gmail.com");
    assert.equal(sent.subject, "Şubat teklifi");

    // Microsoft on the deep-link redirect: the provider sends the browser to
    // ulak://oauth/callback, which the desktop opens by launching the app again.
    await s.type("#connect-email", "deniz@firma.com.tr");
    await s.click("#connect-microsoft");
    const msUrl = await until("the Microsoft sign-in address", async () => {
      const u = await s.attr("#connect-url", "data-url");
      return u && u.includes(microsoft.base) && u;
    });
    assert.match(msUrl, /redirect_uri=ulak%3A%2F%2Foauth%2Fcallback/);
    const link = await authorize(msUrl);
    assert.match(link, /^ulak:\/\/oauth\/callback\?/);
    // A link with a state no sign-in issued is ignored; the window keeps waiting.
    const forged = spawn(APP_BIN, [link.replace("state=", "state=sahte")], {
      env: { ...process.env, ULAK_DATA_DIR: dataDir }, stdio: "ignore" });
    assert.equal(await new Promise((r) => forged.on("exit", r)), 0, "the second launch hands over and exits");
    await s.waitFor("#connect-waiting");
    const second = spawn(APP_BIN, [link], { env: { ...process.env, ULAK_DATA_DIR: dataDir }, stdio: "ignore" });
    assert.equal(await new Promise((r) => second.on("exit", r)), 0);
    await s.waitFor("#connect-done");
    await until("two connected accounts", async () =>
      (await s.execute("return document.querySelectorAll('#accounts-list .account-oauth').length")) === 2);
    await s.screenshot("oauth-two-accounts.png");

    // Entegrasyonlar shows both under E-posta, and the calendar not yet connected.
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-email");
    await s.waitFor("#int-oauth-google-badge[data-state='connected']");
    assert.match(await s.text("#int-oauth-google-accounts"), /ayşe\.yılmaz@gmail\.com/);
    await s.waitFor("#int-oauth-microsoft-badge[data-state='connected']");
    assert.match(await s.text("#int-oauth-microsoft-accounts"), /deniz@firma\.com\.tr/);
    await s.execute("document.querySelector('#int-oauth-google').scrollIntoView({ block: 'start' })");
    await s.screenshot("integrations-oauth.png");
    await s.click("#integrations-tab-google");
    await s.waitFor("#int-google-calendar-connect");
    assert.equal(await s.attr("#int-google-calendar-badge", "data-state"), "not_connected");
    await s.click("#integrations-tab-meeting");
    await s.waitFor("#int-meeting-meet-google");

    // Disconnecting the Microsoft account: gone here, and the window says Microsoft
    // offers no revocation.
    const deniz = JSON.parse(cli(dataDir, ["accounts", "list", "--json"])).find((a) => a.email === "deniz@firma.com.tr");
    await s.click("#nav-email-settings");
    const row = `#accounts-list li[data-account-id='${deniz.id}']`;
    await s.click(`${row} .account-disconnect`);
    await s.click(`${row} .account-disconnect-confirm`);
    await s.waitFor("#disconnect-done[data-revocation='not_offered']");
    assert.match(await s.text("#disconnect-done"), /deniz@firma\.com\.tr bağlantısı kesildi/);
    const left = JSON.parse(cli(dataDir, ["accounts", "list", "--json"])).map((a) => a.email);
    assert.deepEqual(left, ["ayşe.yılmaz@gmail.com"]);
    const problems = [...google.requests(), ...microsoft.requests()].filter((r) => r.problems?.length);
    assert.deepEqual(problems, []);
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    google.stop();
    microsoft.stop();
    gmail.stop();
  }
});
