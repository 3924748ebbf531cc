// Pure i18n: dictionaries, typed keys, interpolation and error-to-text mapping.
// The reactive current language lives in ./locale.svelte.ts.

import type { ErrorPayload, Language } from "../bindings";
import { FIELD_MAX, PASSPHRASE_MIN } from "../validation";
import en from "./en";
import tr from "./tr";

/** Turkish's shape with every string leaf widened to `string`. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof tr>;

/** Every dotted path to a string leaf, e.g. "nav.profile". */
type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

export type Params = Record<string, string | number>;

export const LANGUAGES: readonly Language[] = ["tr", "en"];
export const DEFAULT_LANGUAGE: Language = "tr";

export const dictionaries: Record<Language, Messages> = { tr, en };

/** Looks up a dotted path; undefined when it does not end on a string. */
export function lookup(messages: Messages, path: string): string | undefined {
  let node: unknown = messages;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** Replaces `{name}` with params.name; unknown placeholders stay as they are. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translate(lang: Language, key: MessageKey, params?: Params): string {
  const text = lookup(dictionaries[lang], key) ?? lookup(dictionaries[DEFAULT_LANGUAGE], key);
  return text === undefined ? key : interpolate(text, params);
}

/** All string-leaf paths of a dictionary (for tests and diagnostics). */
export function keysOf(messages: unknown, prefix = ""): string[] {
  if (typeof messages === "string") return [prefix];
  if (messages === null || typeof messages !== "object") return [];
  return Object.entries(messages).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

/** An error to show: from the backend (ErrorPayload) or from client validation. */
export interface UiError {
  code: string;
  message?: string;
  hint?: string | null;
  field?: string | null;
  /** The value the error is about (a variable's or a file's name); fills `{detail}`. */
  detail?: string | null;
  params?: Params;
}

export interface ErrorText {
  message: string;
  hint: string | null;
}

/**
 * Translates an error by its code; an unknown code falls back to the backend's text.
 * With a `detail`, a code's `withDetail` text (if it has one) names it, e.g.
 * "Bilinmeyen değişken: {detail}"; `{detail}` may also appear in hints.
 */
export function describeError(lang: Language, err: UiError): ErrorText {
  const messages = dictionaries[lang];
  const base = `errors.${err.code}`;
  const message = lookup(messages, `${base}.message`);
  if (message === undefined) {
    return {
      message: err.message?.trim() || translate(lang, "errors.internal.message"),
      hint: err.hint?.trim() || null,
    };
  }
  const params: Params = { min: PASSPHRASE_MIN };
  const max = err.field ? FIELD_MAX[err.field] : undefined;
  if (max !== undefined) params.max = max;
  const detail = err.detail?.trim() || null;
  if (detail !== null) params.detail = detail;
  Object.assign(params, err.params);
  const withDetail = detail === null ? undefined : lookup(messages, `${base}.withDetail`);
  const hintTemplate = lookup(messages, `${base}.hint`);
  let hint = hintTemplate === undefined ? null : interpolate(hintTemplate, params);
  // A placeholder we could not fill: the backend's own hint says it better.
  if (hint !== null && /\{\w+\}/.test(hint)) hint = err.hint?.trim() || null;
  return { message: interpolate(withDetail ?? message, params), hint };
}

/** "message hint" on one line, for compact places (top bar, status line). */
export function errorLine(text: ErrorText): string {
  return text.hint ? `${text.message} ${text.hint}` : text.message;
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}
