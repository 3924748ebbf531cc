// Thin wrapper over the generated bindings: never throws, always a result.
// Outside Tauri (plain browser) invoke throws; that becomes `ui.backend_unreachable`.

import { commands, events, type AppStatus, type ErrorPayload, type OutboxChanged } from "./bindings";
import { isErrorPayload } from "./i18n";

// Only the contract's names come from bindings.ts; these two are derived from AppStatus.
export type ReadyStatus = Extract<AppStatus, { state: "ready" }>;
export type LockedStatus = Extract<AppStatus, { state: "locked" }>;

export type CmdResult<T> = { status: "ok"; data: T } | { status: "error"; error: ErrorPayload };

export function toErrorPayload(e: unknown): ErrorPayload {
  if (isErrorPayload(e)) {
    const field = e.field ?? null;
    // `fields` lists every field concerned; older payloads only carry `field`.
    const fields = Array.isArray(e.fields) ? [...e.fields] : field ? [field] : [];
    const detail = typeof e.detail === "string" ? e.detail : null;
    return { code: e.code, message: e.message, hint: e.hint ?? null, field, fields, detail };
  }
  return {
    code: "ui.backend_unreachable",
    message: e instanceof Error ? e.message : String(e),
    hint: null,
    field: null,
    fields: [],
    detail: null,
  };
}

export async function call<T>(run: () => Promise<CmdResult<T>>): Promise<CmdResult<T>> {
  try {
    return await run();
  } catch (e) {
    return { status: "error", error: toErrorPayload(e) };
  }
}

/** appStatus never errors in the backend, but invoke itself can fail. */
export async function loadStatus(): Promise<CmdResult<AppStatus>> {
  return call(async () => ({ status: "ok", data: await commands.appStatus() }));
}

/**
 * Calls `handler` on every `OutboxChanged` event (typed by the bindings: the round so
 * far, null when only pausing changed, and the messages the batch moved). Returns a
 * function that stops listening; it is safe to call before the listener is set up (and
 * outside Tauri, where there are no events).
 */
export function onOutboxChanged(handler: (change: OutboxChanged) => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  const started = (async () => {
    try {
      return await events.outboxChanged.listen((event) => handler(event.payload));
    } catch {
      return null; // not in Tauri: nothing to listen to
    }
  })();
  // Unlistening talks to the backend too; a failure there changes nothing for the page.
  const quietly = (unlisten: () => unknown) => (): void => {
    void Promise.resolve()
      .then(unlisten)
      .catch(() => {});
  };
  void started.then((unlisten) => {
    if (!unlisten) return;
    if (stopped) quietly(unlisten)();
    else stop = quietly(unlisten);
  });
  return () => {
    stopped = true;
    stop?.();
    stop = null;
  };
}

export { commands };
