// The tray and desktop notifications, through the same D-Bus calls a desktop makes:
// tests/desktop-bus plays the panel (a StatusNotifierWatcher the app registers its tray
// icon with, whose menu it reads and clicks over com.canonical.dbusmenu) and the
// notification daemon (org.freedesktop.Notifications, recording every Notify). A bulk
// send paused from the tray stays queued with its progress shown, goes when resumed
// from the tray, and ends in one summarising notification; with notifications turned
// off in Bildirimler, none; the tray's Quit ends the app.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appLog, commandsIn, startDriver, waitAppGone, cli, until, sleep, APP_BIN } from "./webdriver.mjs";

const BUS = process.env.ULAK_DESKTOP_BUS_BIN;

function events(log, kind) {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.event === kind);
}

const menu = (item) => JSON.parse(execFileSync(BUS, ["menu", item], { encoding: "utf8" }));
const labels = (item) => menu(item).map((e) => e.label);
const clickTray = (item, label) => execFileSync(BUS, ["click", item, label]);

function appRunning() {
  try {
    execFileSync("pgrep", ["-f", APP_BIN], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

test("tray pause/resume, a summarised bulk send, notifications off, and Quit", { skip: !BUS && "ULAK_DESKTOP_BUS_BIN not set (run scripts/test.sh)" }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-tray-"));
  const log = join(mkdtempSync(join(tmpdir(), "ulak-e2e-desktop-")), "desktop.jsonl");
  const desktop = spawn(BUS, ["serve", log], { stdio: ["ignore", "inherit", "inherit"] });
  await until("the desktop bus", () => events(log, "ready").length > 0, 10000);

  const tag = `tray-${process.pid}-${Date.now()}`;
  const company = cli(dataDir, ["companies", "add", "Kuzey Ege Tekstil A.Ş."]).trim();
  for (const [name, email] of [
    ["Çiğdem Yıldız", "cigdem@kuzeyege.com.tr"],
    ["Oğuz Şahin", "oguz@kuzeyege.com.tr"],
    ["İpek Güneş", "ipek@kuzeyege.com.tr"],
  ]) {
    cli(dataDir, ["contacts", "add", "--company", company, "--name", name, "--email", email]);
  }

  // An account whose server is not there (nothing listens on port 9 here).
  const deadAccount = cli(
    dataDir,
    ["accounts", "add", "--email", "satis@kuzeyege.com.tr", "--host", "127.0.0.1", "--port", "9", "--security", "none", "--username", "satis@kuzeyege.com.tr", "--password-stdin"],
    {},
    "parola-yok\n",
  ).trim();

  // Successes are not told by default (failures are): this test wants to hear them.
  cli(dataDir, ["notify", "prefs", "set", "message.sent", "--channels", "desktop"]);
  // Command names logged, to see what the composer asks for while it follows a send.
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir, ULAK_LOG: "info,ulak_app::ipc=debug" });
  const s = await driver.session();
  let quit = false;
  try {
    await s.waitFor("#app-ready");
    const item = await until("the tray icon registered", () => events(log, "tray-item")[0]?.item);
    assert.deepEqual(labels(item), ["Ulak'ı aç", "Gönderimi duraklat", "Çık"]);

    // Paused from the tray: the window's sending bar and the tray's own words follow.
    clickTray(item, "Gönderimi duraklat");
    await s.click("#nav-history");
    await s.waitFor("#sending-state[data-paused='true']");
    await until("the tray offers to resume", () => labels(item).includes("Gönderimi sürdür"), 10000);

    // Resumed and paused again from a terminal (issue 24): the tray's words and the
    // window's sending bar follow within seconds, so the tray never offers the wrong
    // thing.
    cli(dataDir, ["outbox", "resume"]);
    await until("the tray offers to pause again", () => labels(item).includes("Gönderimi duraklat"), 10000);
    await s.waitFor("#sending-state[data-paused='false']");
    cli(dataDir, ["outbox", "pause"]);
    await until("the tray offers to resume again", () => labels(item).includes("Gönderimi sürdür"), 10000);
    await s.waitFor("#sending-state[data-paused='true']");

    // A bulk send, one message per contact, written while paused.
    await s.click("#nav-compose");
    await s.waitFor(`#compose-company option[value='${company}']`);
    await s.selectValue("#compose-company", company);
    await s.selectValue("#compose-account", "sandbox");
    for (let i = 0; i < 3; i++) {
      await s.click("button.contact-pick:not(.added)");
    }
    await s.type("#compose-subject", `Sezon kataloğu ${tag}`);
    await s.type("#compose-body", "Merhaba {{ contact.first_name }}, yeni sezon kataloğumuz hazır.");
    await s.click("#compose-separate");
    // The composer follows its messages from the worker's events: one read of their
    // states, and the history is never polled.
    await sleep(500);
    const before = appLog(dataDir).length;
    await s.click("#compose-send");
    // Sending is paused: the composer says so first, and the message is sent anyway.
    await s.waitFor("#compose-warnings li[data-warning='paused']");
    await s.click("#compose-send-anyway");
    await s.waitFor("#compose-result[data-state='queued']");
    await s.waitFor("#compose-progress[data-total='3'][data-done='0']");
    await sleep(2000);
    assert.ok(await s.exists("#compose-progress[data-done='0']"), "nothing sent while paused");
    assert.equal(events(log, "notification").length, 0, "and nothing notified");
    await s.screenshot("tray-paused-bulk.png");

    // Resumed from the tray: the three go, the progress fills, one notification says so.
    clickTray(item, "Gönderimi sürdür");
    await s.waitFor("#compose-progress[data-finished='true'][data-sent='3']", { timeout: 30000 });
    await sleep(500);
    const invoked = commandsIn(appLog(dataDir).slice(before));
    assert.ok(invoked.includes("send_message"), `the log has the commands: ${invoked.join(", ")}`);
    assert.ok(!invoked.includes("list_history"), `the history was polled: ${invoked.join(", ")}`);
    assert.equal(invoked.filter((c) => c === "message_states").length, 1, invoked.join(", "));
    const notes = await until("the notification", () => {
      const n = events(log, "notification");
      return n.length > 0 && n;
    });
    await sleep(1500);
    assert.equal(events(log, "notification").length, 1, `one for the batch: ${JSON.stringify(events(log, "notification"))}`);
    assert.equal(notes[0].summary, "3 e-posta gönderildi");
    assert.match(notes[0].body, /Gönderim Geçmişi/);
    assert.deepEqual(labels(item), ["Ulak'ı aç", "Gönderimi duraklat", "Çık"]);
    await s.screenshot("tray-bulk-sent.png");

    // Turned off in Bildirimler: the next send is quiet.
    await s.click("#nav-notifications");
    const enabled = await s.waitFor("#notify-enabled");
    assert.equal(await s.attrOf(enabled, "checked"), "true");
    await s.click("#notify-enabled");
    await s.waitFor("#notify-status");
    await s.click("#nav-compose");
    await s.waitFor(`#compose-company option[value='${company}']`);
    await s.selectValue("#compose-company", company);
    await s.selectValue("#compose-account", "sandbox");
    await s.click("button.contact-pick:not(.added)");
    await s.type("#compose-subject", `Sessiz ileti ${tag}`);
    await s.type("#compose-body", "Bildirim kapalıyken gönderildi.");
    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='queued']");
    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='sent']", {
      timeout: 30000,
      pred: async () => !(await s.exists("tr.history-row[data-state='queued']")),
    });
    await sleep(1500);
    assert.equal(events(log, "notification").length, 1, "no notification once turned off");

    // A server that cannot be reached: the history says so in words, with the fix.
    await s.click("#nav-compose");
    await s.waitFor(`#compose-account option[value='${deadAccount}']`);
    await s.selectValue("#compose-company", company);
    await s.selectValue("#compose-account", deadAccount);
    await s.click("button.contact-pick:not(.added)");
    await s.type("#compose-subject", `Ulaşılamayan sunucu ${tag}`);
    await s.type("#compose-body", "Bu ileti yeniden denenecek.");
    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='queued']");
    await s.click("#nav-history");
    const cell = await s.waitFor("tr.history-row[data-state='retry'] td.last-error[data-why='unreachable']", { timeout: 30000 });
    assert.equal((await s.textOf(cell)).trim(), "Sunucuya ulaşılamadı");
    await s.click("tr.history-row[data-state='retry'] .row-open");
    const why = await s.text("#history-why");
    assert.match(why, /Sunucuya ulaşılamadı\..*465 ya da 587.*güvenlik duvarı/);
    assert.match(await s.text("#history-last-error"), /refused/i, "the server's words stay beside it");
    await s.screenshot("history-why.png");

    // Quit from the tray ends the app.
    clickTray(item, "Çık");
    await until("the app to quit", () => !appRunning(), 15000);
    quit = true;
  } finally {
    if (!quit) await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    desktop.kill("SIGINT");
  }

  const hist = JSON.parse(cli(dataDir, ["history", "--json"]));
  assert.equal(hist.length, 5, "three for the bulk send, one quiet, one waiting");
  assert.deepEqual(
    hist.map((h) => h.state).sort(),
    ["retry", "sent", "sent", "sent", "sent"],
  );
});
