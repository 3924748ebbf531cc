import { describe, expect, it } from "vitest";
import { checkAddresses } from "../../lib/compose";
import { describeError } from "../../lib/i18n";
import { clientIssue, copiesEachMissing, firstIssue, issueText, type DraftFacts } from "./checks";

type Boxes = { to?: string; cc?: string; bcc?: string };
type Rest = Partial<Omit<DraftFacts, "to" | "cc" | "bcc">>;

/** A draft that passes every check; the address boxes as typed, and other changes. */
function facts({ to = "sule@ozturk-gida.com.tr", cc = "", bcc = "", ...rest }: Boxes & Rest = {}): DraftFacts {
  return {
    company: "3",
    account: "2",
    subjectIssue: null,
    tooLarge: false,
    limitText: "25 MB",
    separate: false,
    copiesEach: false,
    ...rest,
    to: checkAddresses(to),
    cc: checkAddresses(cc),
    bcc: checkAddresses(bcc),
  };
}

const TWO = "sule@ozturk-gida.com.tr, ali@ozturk-gida.com.tr";
const TR_WARNING =
  "Ayrı gönderimde Cc/Bcc adresleri her iletinin kopyasını alır: kutuyu işaretleyin ya da Cc/Bcc'yi boşaltın.";

describe("Cc/Bcc in a separate send", () => {
  it("blocks a separate send to several with Cc and the box unticked, on Cc", () => {
    const draft = facts({ to: TWO, cc: "ayse@ozturk-gida.com.tr", separate: true });
    expect(copiesEachMissing(draft)).toBe(true);
    const issue = clientIssue("cc", draft);
    expect(issue).toEqual({ code: "compose.copies_each", field: "cc", detail: "2" });
    expect(firstIssue(draft)).toEqual(issue);
    expect(issueText("tr", issue!)).toEqual({ message: TR_WARNING, hint: null });
    expect(issueText("en", issue!).message).toBe(
      "In a separate send the Cc/Bcc addresses get a copy of every message: tick the box or empty Cc/Bcc.",
    );
    // The alert above Send says it as the backend does.
    expect(describeError("tr", issue!).message).toBe(
      "Ayrı gönderim 2 ileti oluşturur; Cc ve Bcc'deki adresler her birinin kopyasını alır.",
    );
  });

  it("blocks with Bcc only too, still on Cc", () => {
    const draft = facts({ to: TWO, bcc: "arsiv@firma.com.tr", separate: true });
    expect(clientIssue("cc", draft)?.code).toBe("compose.copies_each");
    expect(clientIssue("bcc", draft)).toBeNull();
    expect(firstIssue(draft)?.field).toBe("cc");
  });

  it("is fine with the box ticked, without Cc/Bcc, not separate, or with one To", () => {
    const fine: DraftFacts[] = [
      facts({ to: TWO, cc: "ayse@ozturk-gida.com.tr", separate: true, copiesEach: true }),
      facts({ to: TWO, cc: " , ", bcc: "", separate: true }),
      facts({ to: TWO, cc: "ayse@ozturk-gida.com.tr", bcc: "arsiv@firma.com.tr", separate: false }),
      facts({ to: "sule@ozturk-gida.com.tr", cc: "ayse@ozturk-gida.com.tr", separate: true }),
      // The same address twice is one To.
      facts({ to: "Sule@ozturk-gida.com.tr; sule@ozturk-gida.com.tr", cc: "a@b.com.tr", separate: true }),
    ];
    for (const draft of fine) {
      expect(copiesEachMissing(draft)).toBe(false);
      expect(clientIssue("cc", draft)).toBeNull();
      expect(firstIssue(draft)).toBeNull();
    }
  });

  it("names a bad Cc address first", () => {
    const draft = facts({ to: TWO, cc: "ayse@", separate: true });
    expect(clientIssue("cc", draft)).toMatchObject({ code: "validation.email", detail: "ayse@" });
  });

  it("other issues keep their own words", () => {
    const issue = clientIssue("to", facts({ to: "" }))!;
    expect(issueText("tr", issue)).toEqual(describeError("tr", issue));
  });
});
