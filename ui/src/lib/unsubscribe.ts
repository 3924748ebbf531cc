// Pure helpers for the Engelleme Listesi page's "Abonelikten çıkma" card: the
// unsubscribe settings' checks while typing (as ulak-channels' email::unsubscribe
// checks them on save) and the lines a recorded paste is reported in.

import type { Language, UnsubscribeReport, UnsubscribeSettings } from "./bindings";
import { describeError, translate, type ErrorText } from "./i18n";
import { hasControlChars, LIMITS, validateEmail } from "./validation";

/** What the user's own unsubscribe page's address must carry; Ulak fills it per recipient. */
export const TOKEN_PLACEHOLDER = "{token}";

/** What is wrong with the unsubscribe page's address as typed. */
export type UrlIssueKind = "control" | "scheme" | "token" | "shape";

export interface UrlIssue {
  kind: UrlIssueKind;
}

/** The host names the backend lets go over plain http (a test on this computer). */
function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * The unsubscribe page's address: empty is fine (then only the e-mail route), else
 * https (plain http only to this computer, for a test, as the backend allows), with
 * `{token}` in it, and a host and no user name or password. Null when it looks fine;
 * the backend is the final judge.
 */
export function checkUrl(raw: string): UrlIssue | null {
  if (hasControlChars(raw)) return { kind: "control" };
  const v = raw.trim();
  if (v === "") return null;
  const lower = v.toLowerCase();
  // Checked as it will be used: with the placeholder filled.
  const parsed = parseUrl(v.replaceAll(TOKEN_PLACEHOLDER, "u1.x.y"));
  const secure = lower.startsWith("https://");
  const localTest = lower.startsWith("http://") && parsed !== null && isLocalHost(parsed.hostname);
  if (!secure && !localTest) return { kind: "scheme" };
  if (!v.includes(TOKEN_PLACEHOLDER)) return { kind: "token" };
  if (parsed === null || parsed.hostname === "" || parsed.username !== "" || parsed.password !== "") {
    return { kind: "shape" };
  }
  return null;
}

/** The unsubscribe address, in words: what is wrong, and how to fix it. */
export function urlIssueText(issue: UrlIssue, lang: Language): ErrorText {
  const base = `suppression.unsubscribe.urlIssue.${issue.kind}` as const;
  // No parameters: `{token}` in the words is shown as it is.
  return { message: translate(lang, `${base}.message`), hint: translate(lang, `${base}.hint`) };
}

/**
 * The mailbox unsubscribe mail goes to: empty is fine (the sending account's own
 * address), else an e-mail address (the backend's `validation.email` check).
 */
export function checkMailto(raw: string, lang: Language): ErrorText | null {
  const issue = validateEmail(raw, { required: false, max: LIMITS.contactEmail });
  if (!issue) return null;
  return describeError(lang, { code: issue.code, params: { max: LIMITS.contactEmail, ...issue.params } });
}

/** The settings as the backend takes them (trimmed). */
export function settingsToSend(url: string, mailto: string): UnsubscribeSettings {
  return { url: url.trim(), mailto: mailto.trim() };
}

/** True when the form differs from what is stored (spaces around aside). */
export function settingsChanged(
  url: string,
  mailto: string,
  stored: UnsubscribeSettings | null,
): boolean {
  const next = settingsToSend(url, mailto);
  return stored === null || next.url !== stored.url.trim() || next.mailto !== stored.mailto.trim();
}

/** One line of what a paste recorded. */
export interface RecordLine {
  /** "added": listed now; "already": on the list before; "unknown": a token not ours. */
  kind: "added" | "already" | "unknown";
  /** The address, or the unknown token. */
  value: string;
  text: string;
}

/** What a recorded paste did, one line each; empty when it held no unsubscribe link. */
export function recordLines(report: UnsubscribeReport, lang: Language): RecordLine[] {
  const recorded = report.recorded.map(
    (r): RecordLine =>
      r.new
        ? {
            kind: "added",
            value: r.address,
            text: translate(lang, "suppression.unsubscribe.result.added", {
              address: r.address,
              campaignId: r.campaignId,
            }),
          }
        : {
            kind: "already",
            value: r.address,
            text: translate(lang, "suppression.unsubscribe.result.already", { address: r.address }),
          },
  );
  const unknown = report.unknown.map(
    (token): RecordLine => ({
      kind: "unknown",
      value: token,
      text: translate(lang, "suppression.unsubscribe.result.unknown", { token }),
    }),
  );
  return [...recorded, ...unknown];
}

/** True when the paste held nothing to record (no token, ours or not). */
export function nothingFound(report: UnsubscribeReport): boolean {
  return report.recorded.length === 0 && report.unknown.length === 0;
}

/** True when the paste put (or found) at least one recipient on the list. */
export function recordedAny(report: UnsubscribeReport): boolean {
  return report.recorded.length > 0;
}
