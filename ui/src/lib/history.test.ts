import { describe, expect, it } from "vitest";
import type { DailyCount, Entry } from "./bindings";
import {
  anyPending,
  canCancel,
  canDelete,
  canRetry,
  entryChanged,
  formatDateTime,
  formatDay,
  isFiltered,
  isPending,
  isState,
  payloadText,
  senderLabel,
  sortDaily,
  stateKey,
  STATES,
  toFilter,
  truncate,
  CHANNELS,
  emptyFilter,
  WHYS,
  whyKeys,
} from "./history";
import { dictionaries, lookup, translate } from "./i18n";

describe("states", () => {
  it("has Turkish and English labels for all five", () => {
    expect(STATES.map((s) => translate("tr", stateKey(s)))).toEqual([
      "Sırada",
      "Gönderiliyor",
      "Gönderildi",
      "Başarısız",
      "Yeniden denenecek",
    ]);
    expect(translate("en", stateKey("retry"))).toBe("Will retry");
  });

  it("knows what is pending and what can be retried", () => {
    expect(STATES.filter(isPending)).toEqual(["queued", "sending", "retry"]);
    expect(STATES.filter(canRetry)).toEqual(["failed", "retry"]);
    expect(STATES.filter(canCancel)).toEqual(["queued", "retry"]);
    expect(STATES.filter(canDelete)).toEqual(["queued", "failed", "retry"]);
    expect(anyPending([{ state: "sent" }, { state: "failed" }])).toBe(false);
    expect(anyPending([{ state: "sent" }, { state: "queued" }])).toBe(true);
    // A message scheduled for later is not polled for; one due within the minute is.
    const now = new Date("2026-12-07T10:00:00Z");
    expect(anyPending([{ state: "queued", scheduledAt: "2026-12-08T09:00:00Z" }], now)).toBe(false);
    expect(anyPending([{ state: "queued", scheduledAt: "2026-12-07T10:00:30Z" }], now)).toBe(true);
    expect(anyPending([{ state: "retry", scheduledAt: "2026-12-08T09:00:00Z" }], now)).toBe(true);
    expect(isState("sent")).toBe(true);
    expect(isState("lost")).toBe(false);
  });
});

describe("times", () => {
  it("shows local time as dd.mm.yyyy HH:MM", () => {
    const d = new Date(2026, 4, 9, 7, 5, 30);
    expect(formatDateTime(d.toISOString())).toBe("09.05.2026 07:05");
    expect(formatDateTime(null)).toBe("");
    expect(formatDateTime("not a date")).toBe("");
  });

  it("shows a day as dd.mm.yyyy", () => {
    expect(formatDay("2026-12-02")).toBe("02.12.2026");
    expect(formatDay("garbage")).toBe("garbage");
  });
});

describe("truncate", () => {
  it("cuts long text with an ellipsis, counting characters", () => {
    expect(truncate("kısa", 10)).toBe("kısa");
    expect(truncate("550 5.1.1 kullanıcı yok", 10)).toBe("550 5.1.1…");
    expect(truncate("a\n\nb", 10)).toBe("a b");
  });
});

describe("filters", () => {
  it("turns the form into a Filter", () => {
    expect(toFilter(emptyFilter())).toEqual({
      companyId: null,
      channel: null,
      state: null,
      since: null,
      until: null,
      limit: 500,
    });
    expect(
      toFilter({ company: "7", channel: "sms", state: "failed", since: "2026-05-01", until: "2026-05-09" }, 50),
    ).toEqual({ companyId: 7, channel: "sms", state: "failed", since: "2026-05-01", until: "2026-05-09", limit: 50 });
    // An export leaves the limit to the backend (its own cap).
    expect(toFilter({ ...emptyFilter(), company: "3", state: "sent" }, null)).toEqual({
      companyId: 3,
      channel: null,
      state: "sent",
      since: null,
      until: null,
      limit: null,
    });
    const odd = toFilter({ company: "x", channel: "fax", state: "lost", since: "01.05.2026", until: "" });
    expect([odd.state, odd.channel]).toEqual([null, null]);
    expect(isFiltered(emptyFilter())).toBe(false);
    expect(isFiltered({ ...emptyFilter(), since: "2026-05-01" })).toBe(true);
    expect(isFiltered({ ...emptyFilter(), channel: "sms" })).toBe(true);
  });
});

describe("daily counts", () => {
  const row = (day: string, accountId: number | null, accountEmail: string | null): DailyCount => ({
    day,
    accountId,
    accountEmail,
    sent: 1,
    failed: 0,
  });

  it("sorts newest day first, the sandbox last", () => {
    const sorted = sortDaily([
      row("2026-05-08", 1, "b@x.com"),
      row("2026-05-09", null, null),
      row("2026-05-09", 2, "a@x.com"),
    ]);
    expect(sorted.map((r) => [r.day, r.accountId])).toEqual([
      ["2026-05-09", 2],
      ["2026-05-09", null],
      ["2026-05-08", 1],
    ]);
  });
});

describe("entryChanged", () => {
  const entry = { state: "queued", attempts: 0, updatedAt: "t1" } as Entry;
  it("notices a new state or attempt", () => {
    expect(entryChanged(entry, { ...entry })).toBe(false);
    expect(entryChanged(entry, { ...entry, state: "sent" })).toBe(true);
    expect(entryChanged(entry, { ...entry, attempts: 1 })).toBe(true);
    expect(entryChanged(entry, undefined)).toBe(true);
  });
});

describe("whyKeys", () => {
  it("words every kind of failure in both languages, with a fix", () => {
    for (const lang of ["tr", "en"] as const) {
      const whats = new Set<string>();
      for (const w of WHYS) {
        const { what, fix } = whyKeys(w);
        // Looked up in this language's own dictionary: translate() would fall back
        // to Turkish (or the key itself) and hide a missing entry.
        expect(lookup(dictionaries[lang], what), `${lang} ${what}`).toBeTruthy();
        expect(lookup(dictionaries[lang], fix), `${lang} ${fix}`).toBeTruthy();
        whats.add(translate(lang, what));
      }
      expect(whats.size).toBe(WHYS.length);
    }
    expect(translate("tr", whyKeys("signIn").fix)).toMatch(/Uygulama Şifresi/);
    expect(translate("en", whyKeys("unreachable").fix)).toMatch(/465 or 587/);
  });
});

describe("non-e-mail payloads", () => {
  it("shows an SMS's text, a WhatsApp body or template, else the raw payload", () => {
    expect(payloadText(JSON.stringify({ to: "+905321234567", text: "Merhaba" }))).toBe("Merhaba");
    expect(payloadText(JSON.stringify({ to: "+905321234567", type: "text", body: "Merhaba\nİyi günler" }))).toBe(
      "Merhaba\nİyi günler",
    );
    expect(
      payloadText(
        JSON.stringify({ to: "+905321234567", type: "template", name: "teklif_hatirlatma", language: "tr", params: ["Işıl Hanım", "TK-1"] }),
      ),
    ).toBe("teklif_hatirlatma (tr)\n{{1}} Işıl Hanım\n{{2}} TK-1");
    expect(payloadText('{"type":"other"}')).toBe('{"type":"other"}');
    expect(payloadText("not json")).toBe("not json");
  });

  it("shows a chat message's text", () => {
    expect(payloadText(JSON.stringify({ text: "Teklif gönderilemedi: Öztürk Gıda" }))).toBe(
      "Teklif gönderilemedi: Öztürk Gıda",
    );
  });

  it("the history can be narrowed to WhatsApp and chat too", () => {
    expect(CHANNELS).toEqual(["email", "sms", "whatsapp", "chat"]);
    expect(toFilter({ ...emptyFilter(), channel: "whatsapp" }).channel).toBe("whatsapp");
    expect(toFilter({ ...emptyFilter(), channel: "chat" }).channel).toBe("chat");
    expect(toFilter({ ...emptyFilter(), channel: "webhook" }).channel).toBeNull();
  });

  it("has words for every channel it can be narrowed to, in both languages", () => {
    for (const lang of ["tr", "en"] as const) {
      for (const channel of CHANNELS) {
        const key = `history.channels.${channel}` as const;
        expect(translate(lang, key), `${lang} ${channel}`).not.toBe(key);
      }
    }
    expect(translate("tr", "history.channels.chat")).toBe("Sohbet");
    expect(translate("en", "history.channels.chat")).toBe("Chat");
  });
});

describe("senderLabel", () => {
  const entry = (over: Partial<Entry>): Entry => ({ ...({} as Entry), ...over });
  it("names an e-mail's account, and an SMS or WhatsApp message's provider", () => {
    expect(senderLabel(entry({ channel: "email", accountEmail: "satis@firma.com.tr" }), "tr")).toBe(
      "satis@firma.com.tr",
    );
    expect(senderLabel(entry({ channel: "email", accountEmail: null }), "tr")).toBeNull();
    expect(senderLabel(entry({ channel: "whatsapp", provider: "meta", accountEmail: null }), "en")).toBe(
      "WhatsApp Cloud API (Meta)",
    );
    expect(senderLabel(entry({ channel: "sms", provider: "twilio", accountEmail: null }), "tr")).toBe("Twilio");
    expect(senderLabel(entry({ channel: "sms", provider: "yeni", accountEmail: null }), "tr")).toBe("yeni");
  });

  it("names a chat message's provider: Slack or Telegram", () => {
    expect(senderLabel(entry({ channel: "chat", provider: "slack", accountEmail: null }), "tr")).toBe("Slack");
    expect(senderLabel(entry({ channel: "chat", provider: "telegram", accountEmail: null }), "en")).toBe(
      "Telegram",
    );
  });
});
