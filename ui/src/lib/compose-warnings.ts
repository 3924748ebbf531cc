// What E-posta Oluştur asks about before sending: things that are allowed but are
// probably a mistake (no subject, no body, sending paused, an attachment mentioned but
// none attached). Unlike the checks in pages/compose/checks.ts they never block: the
// page shows them and the user sends anyway or goes back to fix the draft.

/** One warning; the page shows it as `li[data-warning=…]`. */
export type ComposeWarning = "empty-subject" | "empty-body" | "paused" | "missing-attachment";

/** The order the warnings are listed in. */
export const COMPOSE_WARNINGS: readonly ComposeWarning[] = [
  "empty-subject",
  "empty-body",
  "paused",
  "missing-attachment",
];

/** What the warnings look at. */
export interface WarningFacts {
  subject: string;
  /** The editor's innerHTML. */
  bodyHtml: string;
  /** How many files are attached. */
  attachmentCount: number;
  /** Whether sending is paused (the sending bar's state); null while unknown. */
  paused: boolean | null;
}

/** Tags that end a line or a block: they separate words, the others (<b>, <a>…) do not. */
const BREAKING_TAG =
  /<\/?(?:br|p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|table|hr|section|article|header|footer)\b[^>]*>/gi;

const ENTITIES: Record<string, string> = {
  nbsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The editor's text: tags stripped (a line or block break counts as a space), entities decoded. */
export function bodyText(html: string): string {
  return decodeEntities(html.replace(BREAKING_TAG, " ").replace(/<[^>]*>/g, ""));
}

/** Whitespace, and the invisible characters an editor leaves behind. */
const BLANK = /^(?:\s|\u200b|\u200c|\u200d|\u2060|\ufeff)*$/;

/** True when the text is nothing but whitespace. */
export function isBlankText(text: string): boolean {
  return BLANK.test(text);
}

/**
 * True when the body has no text: only tags, breaks and whitespace (`<p><br></p>`). A body
 * holding only an image, a rule or a table is not empty: it is sent as it is.
 */
export function isEmptyBody(html: string): boolean {
  return isBlankText(bodyText(html)) && !/<(img|hr|table)\b/i.test(html);
}

/**
 * The words (and phrases) that say a file is attached, in lower case; matched as whole
 * words, so "eklemek" or "ektedir" does not count as "ekte" or "ekli".
 */
export const ATTACHMENT_WORDS: readonly string[] = [
  "ekte",
  "ekli",
  "ekteki",
  "ekinde",
  "eklidir",
  "ek olarak",
  "attached",
  "attachment",
];

/**
 * The text's words in Turkish lower case ("EKLİ" → "ekli", "İ" → "i", "I" → "ı"). JS's \b
 * only knows ASCII letters, so words are split on anything that is not a letter (or a
 * combining mark) instead.
 */
export function wordsOf(text: string): string[] {
  return text
    .normalize("NFC")
    .toLocaleLowerCase("tr")
    .split(/[^\p{L}\p{M}]+/u)
    .filter((w) => w !== "");
}

/** A word typed without Turkish letters: "EKLI" lower-cases to "eklı", meant as "ekli". */
const dotted = (word: string): string => word.replace(/ı/g, "i");

const PHRASES: readonly string[][] = ATTACHMENT_WORDS.map((p) => wordsOf(p));

/** True when the text mentions an attachment (one of ATTACHMENT_WORDS as whole words). */
export function mentionsAttachment(text: string): boolean {
  const words = wordsOf(text);
  const loose = words.map(dotted);
  return PHRASES.some((phrase) =>
    words.some((_, i) =>
      phrase.every((p, j) => words[i + j] === p || loose[i + j] === p),
    ),
  );
}

/** The warnings that apply to a draft about to be sent, in COMPOSE_WARNINGS' order. */
export function composeWarnings(facts: WarningFacts): ComposeWarning[] {
  const applies: Record<ComposeWarning, boolean> = {
    "empty-subject": isBlankText(facts.subject),
    "empty-body": isEmptyBody(facts.bodyHtml),
    paused: facts.paused === true,
    "missing-attachment":
      facts.attachmentCount === 0 &&
      (mentionsAttachment(facts.subject) || mentionsAttachment(bodyText(facts.bodyHtml))),
  };
  return COMPOSE_WARNINGS.filter((w) => applies[w]);
}

/** The form field a warning is about, to focus when the user goes back to fix it. */
export type WarningField = "subject" | "body" | "attachments";

const FIELD_OF: Record<ComposeWarning, WarningField | null> = {
  "empty-subject": "subject",
  "empty-body": "body",
  paused: null,
  "missing-attachment": "attachments",
};

/** The field to focus after "Go back and fix": the first warning's that has one. */
export function firstWarningField(warnings: readonly ComposeWarning[]): WarningField | null {
  for (const w of warnings) {
    const field = FIELD_OF[w];
    if (field) return field;
  }
  return null;
}
