// Bildirimler → Webhook'lar end to end: an endpoint added in the window to the HTTPS
// receiver on loopback (tests/servers/webhook_receiver.py, which verifies every
// signature with the Standard Webhooks algorithm itself), its secret shown once, a test
// event and a sent SMS heard of, signed; a failing endpoint shown as such; removal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { startWebhookReceiver } from "./providers.mjs";

// Read in one go inside the page: the list is re-rendered as deliveries come in, so
// element references taken one by one can go stale between two calls.
const endpointIds = (s) =>
  s.execute("return [...document.querySelectorAll('#webhook-list > li')].map((li) => li.id.replace('webhook-', ''))");

test("a webhook endpoint set up in Bildirimler hears of a test event and a sent SMS", async () => {
  const receiver = await startWebhookReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-hooks-"));
  const env = { ULAK_DATA_DIR: dataDir, SSL_CERT_FILE: receiver.ca };
  const driver = await startDriver(env);
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.click("#nav-notifications");
    await s.waitFor("#webhook-empty");

    // Checked while typing: clear text to the internet, then a private address.
    await s.type("#webhook-url", "http://crm.example.com/ulak");
    await s.waitFor("#webhook-url[aria-invalid='true']");
    assert.match(await s.text("#webhook-url-error"), /https/);
    await s.type("#webhook-url", `${receiver.base}/ok`);
    await s.waitFor("#webhook-url-error");
    assert.match(await s.text("#webhook-url-error"), /yerel ağ/i);
    await s.click("#webhook-allow-private");
    await until("the address is accepted", async () => !(await s.exists("#webhook-url-error")));
    await s.click("#webhook-event-sent");
    await s.click("#webhook-add");

    // The secret, once.
    await s.waitFor("#webhook-secret-panel");
    const secret = await s.value("#webhook-secret");
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    receiver.knows([secret]);
    await s.execute("document.querySelector('#webhook-secret-panel').scrollIntoView()");
    await s.screenshot("webhooks-secret.png");
    await s.click("#webhook-secret-done");
    await until("the secret is gone from the page", async () => {
      const html = await s.execute("return document.body.innerHTML");
      return !html.includes(secret);
    });

    await until("the endpoint listed", async () => (await endpointIds(s)).length === 1);
    const [id] = await endpointIds(s);
    await s.waitFor(`#webhook-${id}-status[data-state='new']`);

    // A test event: delivered, signed, and the log says so.
    await s.click(`#webhook-${id}-test`);
    await s.waitFor(`#webhook-${id}-deliveries li.delivery[data-state='sent']`, { timeout: 30000 });
    await s.waitFor(`#webhook-${id}-status[data-state='ok']`, { timeout: 30000 });
    const tests = receiver.requests();
    assert.equal(tests.length, 1);
    assert.equal(tests[0].body.type, "webhook.test");
    assert.deepEqual(tests[0].problems, []);

    // An SMS queued from the command line, sent by the app's worker: heard of.
    cli(dataDir, ["sms", "send", "--sandbox", "--to", "0532 111 22 33", "--text", "Şükrü Bey, teklifiniz hazır"]);
    await until("the receiver heard of the SMS", () =>
      receiver.requests().some((r) => r.body?.type === "message.sent"),
    60000);
    const sent = receiver.requests().find((r) => r.body.type === "message.sent");
    assert.deepEqual(sent.problems, []);
    assert.equal(sent.body.data.to, "+905321112233");
    assert.equal(sent.body.data.channel, "sms");

    // A second endpoint that answers 500: shown as failing to answer, with why.
    await s.type("#webhook-url", `${receiver.base}/fail`);
    // The form starts afresh after an add: private addresses are off again.
    assert.equal(await s.execute("return document.querySelector('#webhook-allow-private').checked"), false);
    await s.click("#webhook-allow-private");
    await s.click("#webhook-event-all");
    await s.click("#webhook-add");
    await s.waitFor("#webhook-secret-panel");
    receiver.knows([secret, await s.value("#webhook-secret")]);
    await s.click("#webhook-secret-done");
    await until("two endpoints", async () => (await endpointIds(s)).length === 2);
    const ids = await endpointIds(s);
    const failing = ids.find((x) => x !== id);
    await s.click(`#webhook-${failing}-test`);
    // Loaded CI machines have taken more than 30 s here once (the worker's idle wait
    // and a delivery's own 15 s limit can add up): a minute.
    await s.waitFor(`#webhook-${failing}-status[data-state='error']`, { timeout: 60000 });
    assert.match(await s.text(`#webhook-${failing}-status`), /500/);
    await s.waitFor(`#webhook-${failing}-deliveries li.delivery[data-state='retry']`, { timeout: 60000 });

    await s.resize(800, 900);
    await s.execute("document.querySelector('#webhook-list').scrollIntoView()");
    await s.screenshot("webhooks-800.png");
    const overflow = await s.execute(
      "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
    );
    assert.equal(overflow, false, "nothing runs off the side at 800 px");

    await s.click(`#webhook-${failing}-remove`);
    await s.click(`#webhook-${failing}-remove-confirm`);
    await until("one endpoint left", async () => (await endpointIds(s)).length === 1);
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    receiver.stop();
  }

  // The CLI sees the same endpoint, and never its secret.
  const list = cli(dataDir, ["webhooks", "list"], env);
  assert.match(list, /\/ok/);
  assert.doesNotMatch(list, /whsec_/);
});
