// Thin wrapper over the generated bindings: never throws, always a result.
// Outside Tauri (plain browser) invoke throws; that becomes `ui.backend_unreachable`.

import { listen } from "@tauri-apps/api/event";
import { commands, type AppStatus, type ErrorPayload } from "./bindings";
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

/** Emitted by the backend when the outbox worker finishes a batch or pausing changes. */
export const OUTBOX_CHANGED = "outbox-changed";

/** One message that failed in the current round: id, subject, reason. */
export type RoundFailure = [id: number, subject: string, reason: string];

/**
 * The running totals of the outbox worker's current round, as carried by
 * "outbox-changed" (bindings.ts has no type for the event payload).
 */
export type RoundProgress = {
  sent: number;
  failed: number;
  retrying: number;
  paused: boolean;
  /** When the last message of the round went out (RFC 3339), if any did. */
  lastSent: string | null;
  failures: RoundFailure[];
};

const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/**
 * The event payload as a RoundProgress; null when it carries no totals (the backend
 * sends null when only the paused state changed). Missing or odd fields become 0/empty.
 */
export function toRoundProgress(payload: unknown): RoundProgress | null {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  const p = payload as Record<string, unknown>;
  const failures: RoundFailure[] = Array.isArray(p.failures)
    ? p.failures.flatMap((f): RoundFailure[] =>
        Array.isArray(f) && typeof f[0] === "number"
          ? [[f[0], typeof f[1] === "string" ? f[1] : "", typeof f[2] === "string" ? f[2] : ""]]
          : [],
      )
    : [];
  return {
    sent: count(p.sent),
    failed: count(p.failed),
    retrying: count(p.retrying),
    paused: p.paused === true,
    lastSent: typeof p.lastSent === "string" ? p.lastSent : null,
    failures,
  };
}

/**
 * Calls `handler` on every "outbox-changed" event with the round's totals (null when
 * the event carries none). Returns a function that stops listening; it is safe to call
 * before the listener is set up (and outside Tauri, where there are no events).
 */
export function onOutboxChanged(handler: (progress: RoundProgress | null) => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  const started = (async () => {
    try {
      return await listen<unknown>(OUTBOX_CHANGED, (event) => handler(toRoundProgress(event.payload)));
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
