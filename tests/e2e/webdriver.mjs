// A small W3C WebDriver client over fetch, and a tauri-driver launcher: enough to
// drive the real Ulak window (WebKitWebDriver under tauri-driver) from node:test.
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), "..", "output");

export const APP_BIN = process.env.ULAK_APP_BIN;
export const CLI_BIN = process.env.ULAK_CLI_BIN;

/** Everything the app (or the CLI) logged in `dataDir`, its daily files in order. */
export function appLog(dataDir) {
  const dir = join(dataDir, "logs");
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
}

/** The commands the window invoked, by name, in a stretch of the log written with
 * `ULAK_LOG=info,ulak_app::ipc=debug`. */
export function commandsIn(log) {
  return [...log.matchAll(/command="?(\w+)/g)].map((m) => m[1]);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (sync or async) until it gives something truthy, and returns that. */
export async function until(what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Starts tauri-driver with `env` added to ours; the app it launches inherits it. */
export async function startDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  const proc = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  return {
    base,
    async session(app = APP_BIN) {
      return Session.create(base, app);
    },
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once("exit", r)));
    },
  };
}

async function call(method, url, body) {
  const r = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) {
    const v = json.value || {};
    const err = new Error(`${method} ${url}: ${v.error || r.status} ${v.message || ""}`);
    err.wd = v.error;
    throw err;
  }
  return json.value;
}

export class Session {
  static async create(base, app) {
    const value = await call("POST", `${base}/session`, {
      capabilities: { alwaysMatch: { "tauri:options": { application: app } } },
    });
    return new Session(base, value.sessionId);
  }

  constructor(base, id) {
    this.url = `${base}/session/${id}`;
  }

  async find(css) {
    const v = await call("POST", `${this.url}/element`, { using: "css selector", value: css });
    return v[ELEMENT];
  }

  /** Resizes the window (the layout at 800 px is tested). */
  async resize(width, height) {
    await call("POST", `${this.url}/window/rect`, { width, height });
  }

  async exists(css) {
    const v = await call("POST", `${this.url}/elements`, { using: "css selector", value: css });
    return v.length > 0;
  }

  /** Waits until `css` matches (and `pred(el)` holds, if given). */
  async waitFor(css, { timeout = 20000, pred } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      try {
        if (await this.exists(css)) {
          const el = await this.find(css);
          if (!pred || (await pred(el))) return el;
        }
      } catch (e) {
        last = e;
      }
      await sleep(150);
    }
    throw new Error(`timed out waiting for ${css}${last ? `: ${last.message}` : ""}`);
  }

  /**
   * Clicks the element; one that is there but not clickable yet (re-rendered, scrolled
   * away, under a moving layout) is scrolled into view and tried again for a few seconds.
   */
  async click(css) {
    const until = Date.now() + 5000;
    for (;;) {
      const el = await this.waitFor(css);
      try {
        await call("POST", `${this.url}/element/${el}/click`, {});
        return;
      } catch (e) {
        if (!/not interactable|stale element/.test(String(e.message)) || Date.now() > until) throw e;
        await call("POST", `${this.url}/execute/sync`, {
          script: "arguments[0].scrollIntoView({ block: 'center' });",
          args: [{ [ELEMENT]: el }],
        }).catch(() => {});
        await sleep(200);
      }
    }
  }

  async type(css, text) {
    const el = await this.waitFor(css);
    // Into the middle of the window first: a field at the top edge can sit under the
    // sticky header, where WebDriver finds it "not interactable" (a person scrolls).
    await call("POST", `${this.url}/execute/sync`, {
      script: "arguments[0].scrollIntoView({ block: 'center' });",
      args: [{ [ELEMENT]: el }],
    });
    await call("POST", `${this.url}/element/${el}/clear`, {});
    // Nothing to type: the field is left empty (cleared, as a person selects and deletes).
    if (text !== "") await call("POST", `${this.url}/element/${el}/value`, { text });
  }

  /** Presses Ctrl+Enter in the element (WebDriver keys: Control, Enter, then release). */
  async ctrlEnter(css) {
    const el = await this.waitFor(css);
    await call("POST", `${this.url}/element/${el}/value`, { text: "\uE009\uE007\uE000" });
  }

  /** Picks an <option> by its value (WebKitWebDriver has no "select" command). */
  async selectValue(css, value) {
    const el = await this.waitFor(css);
    await call("POST", `${this.url}/execute/sync`, {
      script: "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', { bubbles: true })); s.dispatchEvent(new Event('input', { bubbles: true }));",
      args: [{ [ELEMENT]: el }, value],
    });
  }

  /** Sets a field's whole value at once, line breaks included, as pasting would. */
  async paste(css, value) {
    await this.selectValue(css, value);
  }

  /** Runs `script` in the page (WebDriver "execute sync") and returns its value. */
  async execute(script, args = []) {
    return call("POST", `${this.url}/execute/sync`, { script, args });
  }

  /** Gives a file input a file from disk, as choosing it in the dialog would. */
  async sendFile(css, path) {
    const el = await this.waitFor(css);
    await call("POST", `${this.url}/element/${el}/value`, { text: path });
  }

  /** The attribute `name` of every element matching `css`, in document order. */
  async allAttr(css, name) {
    const els = await call("POST", `${this.url}/elements`, { using: "css selector", value: css });
    const out = [];
    for (const e of els) out.push(await call("GET", `${this.url}/element/${e[ELEMENT]}/attribute/${name}`));
    return out;
  }

  /**
   * Finds `css` and reads `what` of it; found again if the page re-rendered it between
   * the two calls (a stale element), a few times.
   */
  async readOf(css, what) {
    for (let i = 0; ; i++) {
      const el = await this.waitFor(css);
      try {
        return await call("GET", `${this.url}/element/${el}/${what}`);
      } catch (e) {
        if (e.wd !== "stale element reference" || i >= 4) throw e;
      }
    }
  }

  async value(css) {
    return this.readOf(css, "property/value");
  }

  async text(css) {
    return this.readOf(css, "text");
  }

  async attr(css, name) {
    return this.readOf(css, `attribute/${name}`);
  }

  async attrOf(el, name) {
    return call("GET", `${this.url}/element/${el}/attribute/${name}`);
  }

  async textOf(el) {
    return call("GET", `${this.url}/element/${el}/text`);
  }

  async title() {
    return call("GET", `${this.url}/title`);
  }

  async screenshot(name) {
    const b64 = await call("GET", `${this.url}/screenshot`);
    mkdirSync(OUTPUT, { recursive: true });
    const path = join(OUTPUT, name);
    writeFileSync(path, Buffer.from(b64, "base64"));
    return path;
  }

  /** Ends the session, which closes the app's window and process. */
  async close() {
    await call("DELETE", this.url);
  }
}

/** Waits until no ulak-app runs for this data dir, so the next start is a real restart. */
export async function waitAppGone(timeout = 15000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    try {
      execFileSync("pgrep", ["-f", APP_BIN], { stdio: "ignore" });
    } catch {
      return;
    }
    await sleep(100);
  }
  throw new Error("the app did not exit after the session ended");
}

export function cli(dataDir, args, env = {}, input = undefined) {
  return execFileSync(CLI_BIN, ["--data-dir", dataDir, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    input,
  });
}
