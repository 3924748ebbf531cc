// Helpers for the stores' unit tests (imported by *.test.ts only).
//
// vitest runs without the Svelte plugin (vitest.config.ts has none), so a store's
// `$state(...)` fields would throw: `installRunes` stands plain values in for them. The
// tests check what a store does with the backend's answers, not that Svelte tracks it.

import type { ErrorCode, ErrorPayload } from "../bindings";

export function installRunes(): void {
  const g = globalThis as Record<string, unknown>;
  const plain = <T>(value: T): T => value;
  g.$state ??= Object.assign(plain, { raw: plain, snapshot: plain });
  g.$derived ??= plain;
}

export function ok<T>(data: T): { status: "ok"; data: T } {
  return { status: "ok", data };
}

export function failed(
  code: ErrorCode,
  field: string | null = null,
): { status: "error"; error: ErrorPayload } {
  return { status: "error", error: { code, message: code, hint: null, field } };
}

/** A promise the test settles when it wants to (to answer calls out of order). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
