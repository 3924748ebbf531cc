import { describe, expect, it } from "vitest";
import type { BackedUp, ErrorPayload } from "./bindings";
import {
  FOLDER_FIELD,
  HISTORY_KINDS,
  KIND_HELP,
  KIND_LABEL,
  backupFailure,
  campaignBackup,
  doneKey,
  folderId,
  folderIssue,
  historyBackup,
  toFolder,
} from "./drive";
import { emptyFilter } from "./history";
import { describeError, translate } from "./i18n";

const ID = "1AbC-dEf_GhIjKlMnOpQrStUvWxYz0123";

const payload = (code: ErrorPayload["code"], field: string | null = null): ErrorPayload => ({
  code,
  message: code,
  hint: null,
  field,
});

describe("the folder's id", () => {
  it("reads it from the address, as the backend does", () => {
    expect(folderId(`https://drive.google.com/drive/folders/${ID}`)).toBe(ID);
    expect(folderId(`https://drive.google.com/drive/folders/${ID}?usp=sharing`)).toBe(ID);
    expect(folderId(`https://drive.google.com/drive/folders/${ID}/`)).toBe(ID);
    expect(folderId(`https://drive.google.com/drive/folders/${ID}#x`)).toBe(ID);
    expect(folderId(`  https://drive.google.com/drive/u/0/folders/${ID}  `)).toBe(ID);
    expect(folderId(`drive.google.com/drive/u/1/folders/${ID}`)).toBe(ID);
    expect(folderId(`  ${ID} `)).toBe(ID);
  });

  it("refuses what is not one: empty, too short or long, other characters, no id", () => {
    expect(folderId("")).toBeNull();
    expect(folderId("   ")).toBeNull();
    expect(folderId("Yedekler")).toBeNull();
    expect(folderId("https://drive.google.com/drive/folders/")).toBeNull();
    expect(folderId("https://drive.google.com/drive/my-drive")).toBeNull();
    expect(folderId("x".repeat(9))).toBeNull();
    expect(folderId("x".repeat(10))).toBe("x".repeat(10));
    expect(folderId("x".repeat(200))).toBe("x".repeat(200));
    expect(folderId("x".repeat(201))).toBeNull();
    expect(folderId(`${ID}ş`)).toBeNull();
    expect(folderId(`${ID} ek`)).toBeNull();
    expect(folderId(`https://drive.google.com/drive/folders/${ID.slice(0, 9)}`)).toBeNull();
  });

  it("says a folder that is not one, in the backend's words; empty means Ulak's own", () => {
    expect(folderIssue("")).toBeNull();
    expect(folderIssue("  ")).toBeNull();
    expect(folderIssue(ID)).toBeNull();
    expect(folderIssue(`https://drive.google.com/drive/folders/${ID}`)).toBeNull();
    const issue = folderIssue("drive.google.com/klasorum");
    expect(issue).toEqual({ code: "drive.bad_folder", field: FOLDER_FIELD });
    expect(FOLDER_FIELD).toBe("folder");
    expect(describeError("tr", issue ?? { code: "" }).message).toBe(
      "Bu klasör bulunamadı ya da Ulak onu kullanamıyor.",
    );
  });

  it("names no folder when left empty, else what was typed, trimmed", () => {
    expect(toFolder("")).toBeNull();
    expect(toFolder("   ")).toBeNull();
    expect(toFolder(` ${ID} `)).toBe(ID);
    const url = `https://drive.google.com/drive/folders/${ID}`;
    expect(toFolder(url)).toBe(url);
  });
});

describe("what a backup sends", () => {
  it("Gönderim Geçmişi: the page's filter, without the list's limit, as CSV or as e-mails", () => {
    const form = { ...emptyFilter(), company: "3", state: "sent", since: "2026-05-01" };
    const filter = {
      companyId: 3,
      channel: null,
      state: "sent",
      since: "2026-05-01",
      until: null,
      limit: null,
    };
    expect(historyBackup("history", form)).toEqual({ kind: "history", filter });
    expect(historyBackup("emails", form)).toEqual({ kind: "emails", filter });
    expect(historyBackup("history", emptyFilter())).toEqual({
      kind: "history",
      filter: { companyId: null, channel: null, state: null, since: null, until: null, limit: null },
    });
  });

  it("Kampanyalar: the campaign by its id", () => {
    expect(campaignBackup(9)).toEqual({ kind: "campaign", id: 9 });
  });

  it("offers the history and the sent e-mails, in that order, each with its words", () => {
    expect(HISTORY_KINDS).toEqual(["history", "emails"]);
    expect(translate("tr", KIND_LABEL.history)).toBe("Geçmiş (CSV)");
    expect(translate("tr", KIND_LABEL.emails)).toBe("Gönderilen e-postalar (.eml)");
    expect(translate("en", KIND_LABEL.history)).toBe("History (CSV)");
    expect(translate("en", KIND_LABEL.emails)).toBe("Sent e-mails (.eml)");
    expect(translate("tr", KIND_HELP.emails)).toMatch(/500/);
  });
});

describe("a backup's failure", () => {
  it("is shown where it belongs", () => {
    expect(backupFailure(payload("drive.not_connected")).kind).toBe("not_connected");
    expect(backupFailure(payload("drive.bad_folder", "folder")).kind).toBe("field");
    expect(backupFailure(payload("drive.bad_folder")).kind).toBe("field");
    expect(backupFailure({ ...payload("validation.too_long"), fields: ["folder"] }).kind).toBe("field");
    expect(backupFailure(payload("drive.refused")).kind).toBe("alert");
    expect(backupFailure(payload("oauth.reconnect")).kind).toBe("alert");
    expect(backupFailure(payload("campaign.not_found")).kind).toBe("alert");
    const error = payload("ui.backend_unreachable");
    expect(backupFailure(error)).toEqual({ kind: "alert", error });
  });
});

describe("words", () => {
  const folder = { id: ID, name: "Ulak yedekleri", url: `https://drive.google.com/drive/folders/${ID}` };
  const file = (n: number) => ({ id: `f${n}`, name: `f${n}.eml`, url: `https://drive.google.com/file/d/f${n}/view` });
  const backedUp = (n: number): BackedUp => ({ folder, files: Array.from({ length: n }, (_, i) => file(i)) });

  it("says how many files went into which folder, Turkish first", () => {
    const say = (lang: "tr" | "en", n: number) =>
      translate(lang, doneKey(backedUp(n)), { files: n, folder: folder.name });
    expect(say("tr", 3)).toBe("3 dosya «Ulak yedekleri» klasörüne yedeklendi.");
    expect(say("tr", 1)).toBe("1 dosya «Ulak yedekleri» klasörüne yedeklendi.");
    expect(say("tr", 0)).toMatch(/Yedeklenecek dosya yoktu/);
    expect(say("en", 1)).toBe("1 file backed up to the folder “Ulak yedekleri”.");
    expect(say("en", 2)).toBe("2 files backed up to the folder “Ulak yedekleri”.");
    expect(translate("tr", "drive.backup.progress", { done: 2, total: 5 })).toBe("2/5 dosya");
    expect(translate("en", "drive.backup.progress", { done: 2, total: 5 })).toBe("2/5 files");
  });

  it("says what the panel and the card are for", () => {
    expect(translate("tr", "drive.backup.folderHelp")).toMatch(
      /^Boş bırakırsanız Ulak yedekleri klasörüne yedeklenir/,
    );
    expect(translate("tr", "drive.backup.history")).toBe("Drive'a yedekle");
    expect(translate("tr", "integrations.drive.name")).toBe("Google Drive");
    expect(translate("tr", "integrations.drive.summary")).toBe(
      "Gönderim geçmişini, kampanya sonuçlarını ve gönderilen e-postaları Drive'daki bir klasöre yedekleyin; Ulak yalnızca kendi oluşturduğu dosyaları görür.",
    );
    expect(translate("en", "integrations.drive.summary")).toMatch(/only the files it made/);
    // The backend's hint names the card's button: the words must match.
    expect(describeError("tr", { code: "drive.not_connected" }).hint).toContain(
      translate("tr", "drive.connect"),
    );
    expect(describeError("en", { code: "drive.not_connected" }).hint).toContain(
      translate("en", "drive.connect"),
    );
  });
});
