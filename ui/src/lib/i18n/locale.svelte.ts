// The reactive current language. Reading `t(...)` in markup re-renders on change.

import type { Language } from "../bindings";
import {
  DEFAULT_LANGUAGE,
  describeError,
  translate,
  type ErrorText,
  type MessageKey,
  type Params,
  type UiError,
} from "./index";

let current = $state<Language>(DEFAULT_LANGUAGE);
/** A choice made while the store was closed, to be saved once it opens. */
let unsaved: Language | null = null;

export const locale = {
  get lang(): Language {
    return current;
  },
  set(lang: Language): void {
    current = lang;
    if (typeof document !== "undefined") document.documentElement.lang = lang;
  },
  /** Remember a choice that could not be saved yet (lock screen). */
  chooseUnsaved(lang: Language): void {
    unsaved = lang;
    this.set(lang);
  },
  /** A choice made on the lock screen that the store has not saved yet. */
  get unsaved(): Language | null {
    return unsaved;
  },
  markSaved(): void {
    unsaved = null;
  },
};

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

export function te(err: UiError): ErrorText {
  return describeError(current, err);
}
