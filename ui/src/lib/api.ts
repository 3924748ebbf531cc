// Thin wrapper over the generated bindings: never throws, always a result.
// Outside Tauri (plain browser) invoke throws; that becomes `ui.backend_unreachable`.

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
    return { code: e.code, message: e.message, hint: e.hint ?? null, field, fields };
  }
  return {
    code: "ui.backend_unreachable",
    message: e instanceof Error ? e.message : String(e),
    hint: null,
    field: null,
    fields: [],
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

export { commands };
