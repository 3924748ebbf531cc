// Pages and components never call the backend themselves: the stores in this folder own
// every command. This reads their sources and fails on any `commands.` or import of
// `commands`, so the rule keeps holding.

import { describe, expect, it } from "vitest";

/** The little of node:fs this test uses (the UI's types leave Node's out, hence the cast). */
interface Fs {
  readdirSync(dir: URL): string[];
  readFileSync(file: URL, encoding: "utf8"): string;
  statSync(path: URL): { isDirectory(): boolean };
}
const FS: string = "node:fs";
const { readdirSync, readFileSync, statSync } = (await import(/* @vite-ignore */ FS)) as Fs;

const SRC = new URL("../../", import.meta.url);

/** Every .svelte and .ts file under `dir`, recursively. */
function sourcesUnder(dir: URL): URL[] {
  const found: URL[] = [];
  for (const name of readdirSync(dir)) {
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) found.push(...sourcesUnder(new URL(`${name}/`, dir)));
    else if (name.endsWith(".svelte") || name.endsWith(".ts")) found.push(url);
  }
  return found;
}

/** What in `source` breaks the rule, one line each; empty when nothing does. */
function backendCalls(source: string): string[] {
  const found: string[] = [];
  // `commands` named among the imported values, in any import statement.
  for (const m of source.matchAll(/import\s+([^;]*?)\s+from\s+["'][^"']+["']/g)) {
    const clause = m[1] ?? "";
    if (/\bcommands\b/.test(clause)) found.push(m[0].replace(/\s+/g, " "));
  }
  for (const line of source.split("\n")) {
    if (/\bcommands\s*(\?\.|\.|\[)/.test(line)) found.push(line.trim());
  }
  return found;
}

const files = [
  ...sourcesUnder(new URL("pages/", SRC)),
  ...sourcesUnder(new URL("components/", SRC)),
  new URL("App.svelte", SRC),
];

describe("the store boundary", () => {
  it("looks at the pages, the components and App.svelte", () => {
    const names = files.map((f) => f.pathname);
    expect(names.length).toBeGreaterThan(20);
    expect(names.some((n) => n.endsWith("App.svelte"))).toBe(true);
    expect(names.some((n) => n.endsWith("ComposePage.svelte"))).toBe(true);
    expect(names.some((n) => n.endsWith("LockScreen.svelte"))).toBe(true);
  });

  it("finds a backend call and an import of commands", () => {
    expect(backendCalls('  import { call, commands } from "../lib/api";')).toHaveLength(1);
    expect(backendCalls('import {\n  call,\n  commands,\n} from "./lib/api";')).toHaveLength(1);
    expect(backendCalls('import { commands as c } from "../lib/bindings";')).toHaveLength(1);
    expect(backendCalls("const res = await call(() => commands.getProfile());")).toHaveLength(1);
    expect(backendCalls('import { call } from "../lib/api";\nconst x = 1;')).toEqual([]);
    expect(backendCalls("// the stores own the commands now")).toEqual([]);
  });

  it("holds: no page or component calls the backend itself", () => {
    const offenders: Record<string, string[]> = {};
    for (const file of files) {
      const found = backendCalls(readFileSync(file, "utf8"));
      if (found.length > 0) offenders[file.href.slice(SRC.href.length)] = found;
    }
    expect(offenders).toEqual({});
  });
});
