// Just enough MIME reading for the tests to check what arrived: header words
// (RFC 2047), parts of a multipart message, quoted-printable and base64 bodies.

export function decodeWords(s) {
  return s
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _cs, enc, text) => {
      if (enc.toLowerCase() === "b") return Buffer.from(text, "base64").toString("utf8");
      const bytes = text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    });
}

/** Headers (unfolded, lower-case names) and body of one entity. */
export function parseEntity(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

/** Every leaf part, depth first: {headers, body (decoded bytes as Buffer)}. */
export function leafParts(raw) {
  const e = parseEntity(raw);
  const ct = e.headers["content-type"] ?? "text/plain";
  const m = /boundary="?([^";]+)"?/i.exec(ct);
  if (/^multipart\//i.test(ct) && m) {
    const parts = e.body.split(new RegExp(`\\r?\\n?--${m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?\\r?\\n?`));
    return parts.filter((p) => p.trim() && !/^--/.test(p)).flatMap((p) => leafParts(p));
  }
  const cte = (e.headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  let bytes;
  if (cte === "base64") bytes = Buffer.from(e.body.replace(/\s+/g, ""), "base64");
  else if (cte === "quoted-printable")
    bytes = Buffer.from(
      e.body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
      "latin1",
    );
  else bytes = Buffer.from(e.body, "utf8");
  return [{ headers: e.headers, body: bytes }];
}
