// Saving text the backend made (an export) as a file: a Blob and a temporary
// <a download>, so the window's own download handling asks where it goes.

/** The byte-order mark Excel needs to read a CSV as UTF-8 (Turkish letters intact). */
const BOM = "\uFEFF";

/** CSV text with a BOM in front (once), as Excel opens it correctly; imports skip it. */
export function csvWithBom(text: string): string {
  return text.startsWith(BOM) ? text : `${BOM}${text}`;
}

/** Offers `text` as a file named `fileName`. */
export function downloadText(fileName: string, text: string, type = "text/csv;charset=utf-8"): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Some webviews read the blob after click() returns: let it go a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
