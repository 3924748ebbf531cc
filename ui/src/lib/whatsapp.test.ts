import { describe, expect, it } from "vitest";
import {
  LIMITS,
  emptyWhatsappForm,
  fieldMax,
  textMax,
  isWhatsappField,
  paramIssues,
  slotToken,
  templateKind,
  toWhatsappBulkInput,
  toWhatsappInput,
  validateLanguage,
  validateParam,
  validateTemplateName,
  validateWhatsapp,
  validateWhatsappBulk,
  validateWhatsappText,
  whatsappProvider,
  withoutParam,
  type WhatsappForm,
} from "./whatsapp";

const SID = `HX${"0123456789abcdef".repeat(2)}`;

function form(over: Partial<WhatsappForm> = {}): WhatsappForm {
  return {
    ...emptyWhatsappForm(),
    to: "0532 123 45 67",
    template: "teklif_hatirlatma",
    ...over,
  };
}

describe("emptyWhatsappForm", () => {
  it("starts on a template in Turkish, with no parameters and the test box", () => {
    expect(emptyWhatsappForm()).toEqual({
      provider: "",
      company: "",
      to: "",
      mode: "template",
      template: "",
      language: "tr",
      params: [],
      text: "",
    });
    // A fresh array each time: one form's parameters never leak into the next.
    const a = emptyWhatsappForm();
    a.params.push("x");
    expect(emptyWhatsappForm().params).toEqual([]);
  });
});

describe("validateWhatsapp", () => {
  it("asks for a number and a template name; a valid template form has no issues", () => {
    expect(validateWhatsapp(emptyWhatsappForm())).toEqual({
      to: { code: "validation.required" },
      template: { code: "validation.required" },
    });
    expect(validateWhatsapp(form({ to: "12" })).to?.code).toBe("validation.phone");
    expect(validateWhatsapp(form({ params: ["Işıl Hanım", "TK-2041"] }))).toEqual({});
  });

  it("checks only the fields of the chosen mode", () => {
    // Text mode: the template's fields do not matter, the body does.
    expect(validateWhatsapp(form({ mode: "text", template: "Bad Name", language: "" }))).toEqual({
      text: { code: "validation.required" },
    });
    expect(validateWhatsapp(form({ mode: "text", text: "Merhaba" }))).toEqual({});
    // Template mode: an empty body does not matter.
    expect(validateWhatsapp(form({ mode: "template", text: "" }))).toEqual({});
  });

  it("names the template the way the provider takes it; the test box takes either", () => {
    expect(validateWhatsapp(form({ provider: "meta", template: SID })).template?.code).toBe(
      "whatsapp.template_name",
    );
    expect(validateWhatsapp(form({ provider: "twilio", template: "teklif_hatirlatma" })).template?.code).toBe(
      "whatsapp.template_name",
    );
    expect(validateWhatsapp(form({ provider: "twilio", template: SID }))).toEqual({});
    expect(validateWhatsapp(form({ provider: "", template: SID }))).toEqual({});
    expect(validateWhatsapp(form({ provider: "", template: "teklif_hatirlatma" }))).toEqual({});
  });

  it("refuses a bad language and too many parameters with the backend's codes", () => {
    expect(validateWhatsapp(form({ language: "Turkish" })).language).toEqual({ code: "whatsapp.language" });
    expect(validateWhatsapp(form({ language: " " })).language).toEqual({ code: "validation.required" });
    const many = Array.from({ length: LIMITS.whatsappParams + 1 }, () => "x");
    expect(validateWhatsapp(form({ params: many })).params).toEqual({
      code: "whatsapp.too_many_params",
      params: { max: LIMITS.whatsappParams },
    });
    const enough = Array.from({ length: LIMITS.whatsappParams }, () => "x");
    expect(validateWhatsapp(form({ params: enough }))).toEqual({});
  });

  it("reports the first bad parameter at `params`", () => {
    expect(validateWhatsapp(form({ params: ["ok", " ", "a\nb"] })).params).toEqual({
      code: "validation.required",
    });
    expect(validateWhatsapp(form({ params: ["ok", "a\tb"] })).params).toEqual({
      code: "validation.control_chars",
    });
  });
});

describe("validateWhatsappBulk", () => {
  const numbers = ["0532 123 45 67", "+90 533 765 43 21"];

  it("asks for a recipient instead of a number; the single number's box does not count", () => {
    expect(validateWhatsappBulk([], 0, form({ to: "" }))).toEqual({ to: { code: "validation.required" } });
    expect(validateWhatsappBulk(numbers, 0, form({ to: "" }))).toEqual({});
    expect(validateWhatsappBulk(numbers, 0, form({ to: "12" }))).toEqual({});
  });

  it("refuses while a pasted line is not a number, even with good ones beside it", () => {
    expect(validateWhatsappBulk(numbers, 1, form())).toEqual({ to: { code: "validation.phone" } });
  });

  it("checks the message as the single send does, by the chosen mode", () => {
    expect(validateWhatsappBulk(numbers, 0, form({ template: "Bad Name", language: "" }))).toEqual({
      template: { code: "whatsapp.template_name" },
      language: { code: "validation.required" },
    });
    expect(validateWhatsappBulk(numbers, 0, form({ params: ["ok", " "] })).params).toEqual({
      code: "validation.required",
    });
    expect(validateWhatsappBulk([], 0, form({ mode: "text", text: " " }))).toEqual({
      to: { code: "validation.required" },
      text: { code: "validation.required" },
    });
    expect(validateWhatsappBulk(numbers, 0, form({ mode: "text", template: "", text: "Merhaba" }))).toEqual({});
  });
});

describe("validateTemplateName", () => {
  it("takes Meta's lower-case names and Twilio's HX Content SIDs", () => {
    expect(templateKind("")).toBe("any");
    expect(templateKind("meta")).toBe("meta");
    expect(templateKind("twilio")).toBe("twilio");
    expect(validateTemplateName(" teklif_2026 ", "meta")).toBeNull();
    expect(validateTemplateName("Teklif", "meta")?.code).toBe("whatsapp.template_name");
    expect(validateTemplateName("teklif-hatirlatma", "meta")?.code).toBe("whatsapp.template_name");
    expect(validateTemplateName("teklif hatırlatma", "")?.code).toBe("whatsapp.template_name");
    expect(validateTemplateName(`HX${"0123456789ABCDEF".repeat(2)}`, "twilio")).toBeNull();
    expect(validateTemplateName(SID.slice(0, -1), "twilio")?.code).toBe("whatsapp.template_name");
    expect(validateTemplateName(`hx${SID.slice(2)}`, "twilio")?.code).toBe("whatsapp.template_name");
    expect(validateTemplateName("", "twilio")).toEqual({ code: "validation.required" });
    expect(validateTemplateName("a".repeat(LIMITS.whatsappTemplate + 1), "meta")).toEqual({
      code: "validation.too_long",
      params: { max: LIMITS.whatsappTemplate },
    });
  });
});

describe("validateLanguage", () => {
  it("takes tr, en, en_US and three-letter codes, nothing else", () => {
    for (const ok of ["tr", "en", "en_US", "pt_BR", "fil", " tr "]) expect(validateLanguage(ok), ok).toBeNull();
    for (const bad of ["TR", "en-US", "en_us", "e", "engl", "en_USA", "tr_"]) {
      expect(validateLanguage(bad), bad).toEqual({ code: "whatsapp.language" });
    }
    expect(validateLanguage("")).toEqual({ code: "validation.required" });
  });
});

describe("parameters", () => {
  it("each is one non-blank line within the limit", () => {
    expect(validateParam("Işıl Hanım")).toBeNull();
    expect(validateParam("  ")).toEqual({ code: "validation.required" });
    expect(validateParam("satır 1\nsatır 2")).toEqual({ code: "validation.control_chars" });
    expect(validateParam("ş".repeat(LIMITS.whatsappParam))).toBeNull();
    expect(validateParam("ş".repeat(LIMITS.whatsappParam + 1))).toEqual({
      code: "validation.too_long",
      params: { max: LIMITS.whatsappParam },
    });
    expect(paramIssues(["a", "", "b"])).toEqual([null, { code: "validation.required" }, null]);
  });

  it("are numbered from {{1}} and removed by position", () => {
    expect(slotToken(0)).toBe("{{1}}");
    expect(slotToken(9)).toBe("{{10}}");
    expect(withoutParam(["a", "b", "c"], 1)).toEqual(["a", "c"]);
    expect(withoutParam(["a"], 3)).toEqual(["a"]);
  });
});

describe("validateWhatsappText", () => {
  it("keeps line breaks but refuses tabs, blanks and over-long texts", () => {
    expect(validateWhatsappText("satır 1\r\nsatır 2")).toBeNull();
    expect(validateWhatsappText("a\tb")).toEqual({ code: "validation.control_chars" });
    expect(validateWhatsappText(" \n ")).toEqual({ code: "validation.required" });
    expect(validateWhatsappText("ş".repeat(LIMITS.whatsappText))).toBeNull();
    expect(validateWhatsappText("ş".repeat(LIMITS.whatsappText + 1))).toEqual({
      code: "validation.too_long",
      params: { max: LIMITS.whatsappText },
    });
  });
});

describe("toWhatsappInput", () => {
  it("sends a template trimmed, its parameters in order, the company as a number", () => {
    const input = toWhatsappInput(
      form({ company: "7", to: " 0532 123 45 67 ", template: " teklif_hatirlatma ", language: " tr ", params: [" Işıl ", "TK-1"] }),
      "k1",
    );
    expect(input).toEqual({
      companyId: 7,
      to: "0532 123 45 67",
      content: { type: "template", name: "teklif_hatirlatma", language: "tr", params: ["Işıl", "TK-1"] },
      idempotencyKey: "k1",
    });
  });

  it("sends a text with Windows line breaks as \\n, trimmed; no company as null", () => {
    const input = toWhatsappInput(form({ mode: "text", text: " Merhaba\r\nTeklif ektedir. \r\n" }), "k2");
    expect(input.companyId).toBeNull();
    expect(input.content).toEqual({ type: "text", body: "Merhaba\nTeklif ektedir." });
    expect(toWhatsappInput(form(), null).idempotencyKey).toBeNull();
  });

  it("never puts the provider in the input: it goes beside it, null for the test box", () => {
    expect(whatsappProvider({ provider: "meta" })).toBe("meta");
    expect(whatsappProvider({ provider: "" })).toBeNull();
    expect(Object.keys(toWhatsappInput(form({ provider: "twilio" }), "k"))).not.toContain("provider");
  });

  it("sends a bulk template to every number with the same parameters, numbers trimmed", () => {
    const f = form({
      provider: "meta",
      company: "12",
      to: "0532 000 00 00",
      template: " teklif_hatirlatma ",
      language: " tr ",
      params: [" Işık Tekstil ", "TK-7"],
    });
    expect(toWhatsappBulkInput(f, [" 0532 123 45 67 ", "", "+905337654321"], "kb")).toEqual({
      companyId: 12,
      to: ["0532 123 45 67", "+905337654321"],
      content: { type: "template", name: "teklif_hatirlatma", language: "tr", params: ["Işık Tekstil", "TK-7"] },
      idempotencyKey: "kb",
    });
    // The single number's box is not a recipient; the provider goes beside the input.
    expect(toWhatsappBulkInput(f, [], "kb").to).toEqual([]);
    expect(Object.keys(toWhatsappBulkInput(f, [], "kb"))).not.toContain("provider");
  });

  it("sends a bulk text as the single send does; no company as null", () => {
    const f = form({ mode: "text", text: " Merhaba\r\nKataloğumuz hazır. ", params: ["unused"] });
    const input = toWhatsappBulkInput(f, ["0532 123 45 67"], null);
    expect(input.companyId).toBeNull();
    expect(input.idempotencyKey).toBeNull();
    expect(input.content).toEqual({ type: "text", body: "Merhaba\nKataloğumuz hazır." });
    expect(input.content).toEqual(toWhatsappInput(f, null).content);
  });

  it("fills a backend error's {max} with the limit it is about", () => {
    expect(fieldMax("text", "validation.too_long")).toBe(LIMITS.whatsappText);
    expect(fieldMax("template", "validation.too_long")).toBe(LIMITS.whatsappTemplate);
    expect(fieldMax("params", "validation.too_long")).toBe(LIMITS.whatsappParam);
    expect(fieldMax("params", "whatsapp.too_many_params")).toBe(LIMITS.whatsappParams);
    expect(fieldMax("to", "validation.too_long")).toBe(LIMITS.phone);
    expect(fieldMax("language", "validation.too_long")).toBe(16);
  });

  it("knows the fields the backend names", () => {
    for (const f of ["to", "text", "template", "language", "params"]) expect(isWhatsappField(f)).toBe(true);
    expect(isWhatsappField("account")).toBe(false);
    expect(isWhatsappField(null)).toBe(false);
  });
});

describe("textMax", () => {
  it("gives Twilio's shorter Body limit and Meta's longer one", () => {
    expect(textMax("twilio")).toBe(LIMITS.whatsappTwilioText);
    expect(textMax("meta")).toBe(LIMITS.whatsappText);
    expect(textMax("")).toBe(LIMITS.whatsappText);
    expect(LIMITS.whatsappTwilioText).toBeLessThan(LIMITS.whatsappText);
    expect(validateWhatsappText("ş".repeat(LIMITS.whatsappTwilioText + 1), textMax("twilio"))).toEqual({
      code: "validation.too_long",
      params: { max: LIMITS.whatsappTwilioText },
    });
    expect(fieldMax("text", "validation.too_long", "twilio")).toBe(LIMITS.whatsappTwilioText);
  });
});
