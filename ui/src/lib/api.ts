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
    return { code: e.code, message: e.message, hint: e.hint ?? null, field: e.field ?? null };
  }
  return {
    code: "ui.backend_unreachable",
    message: e instanceof Error ? e.message : String(e),
    hint: null,
    field: null,
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
