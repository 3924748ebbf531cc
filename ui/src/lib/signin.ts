// A browser sign-in (Google or Microsoft for an e-mail account, Google for the calendar)
// as the pages run it: what it answers, and what is left to show when it or cancelling
// it fails. Cancelling is the user's own doing: nothing to explain then.

import type { CmdResult } from "./api";
import type { ErrorPayload } from "./bindings";

/** Why a sign-in did not end well (`connect`), or why it could not be cancelled. */
export interface SignInFailure {
  what: "connect" | "cancel";
  error: ErrorPayload;
}

/** How a sign-in ended: what it gave, or the failure to show (null when it was cancelled). */
export type SignInResult<T> =
  | { status: "ok"; data: T }
  | { status: "error"; failure: SignInFailure | null };

/** Runs a sign-in (`connect` opens the browser and waits for its end). */
export async function signIn<T>(connect: () => Promise<CmdResult<T>>): Promise<SignInResult<T>> {
  const res = await connect();
  if (res.status === "ok") return res;
  return {
    status: "error",
    failure: res.error.code === "oauth.cancelled" ? null : { what: "connect", error: res.error },
  };
}

/** Cancels the sign-in under way; answers the failure to show, null when it worked. */
export async function cancelSignIn(
  cancel: () => Promise<CmdResult<unknown>>,
): Promise<SignInFailure | null> {
  const res = await cancel();
  return res.status === "ok" ? null : { what: "cancel", error: res.error };
}
