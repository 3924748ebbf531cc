import { describe, expect, it } from "vitest";
import type { AuthKind, ErrorCode, LookupOutcome, StepKind, Suggestion } from "./bindings";
import { translate } from "./i18n";
import {
  applyModeLabel,
  authFixKey,
  autofillNoteFor,
  describeFailure,
  describeSource,
  formatCertDate,
  hiddenFields,
  inputMatchesSaved,
  oauthOnly,
  oauthOnlyNote,
  outcomeKey,
  passwordNeededAgain,
  passwordNeededForSignIn,
  planAutofill,
  serverFields,
  stepKey,
  suggestedServer,
  suggestionHint,
  testAllReason,
  toAccountInput,
  validateAccount,
  type AccountForm,
  type ServerFields,
} from "./smtp";

/** Every StepKind of bindings.ts: a kind added there fails the type check here. */
const EVERY_STEP: Record<StepKind, true> = {
  resolve: true,
  connect: true,
  tls: true,
  greeting: true,
  ehlo: true,
  starttls: true,
  auth: true,
};
const STEP_KINDS = Object.keys(EVERY_STEP) as StepKind[];

const empty: ServerFields = { host: "", port: "", security: "", username: "" };
const gmail: ServerFields = {
  host: "smtp.gmail.com",
  port: "587",
  security: "starttls",
  username: "ali@gmail.com",
};
const outlook: ServerFields = {
  host: "smtp.office365.com",
  port: "587",
  security: "starttls",
  username: "ali@outlook.com",
};

describe("planAutofill", () => {
  it("fills every empty field", () => {
    expect(planAutofill(empty, null, gmail)).toEqual(gmail);
  });

  it("replaces what the previous suggestion filled in", () => {
    expect(planAutofill(gmail, gmail, outlook)).toEqual({
      host: "smtp.office365.com",
      username: "ali@outlook.com",
    });
  });

  it("never overwrites a hand-typed host, nor its port and security", () => {
    const typed = { ...gmail, host: "mail.firma.com", port: "2525" };
    expect(planAutofill(typed, gmail, outlook)).toEqual({ username: "ali@outlook.com" });
    // Port and security still hold the previous suggestion, but belong to the typed host.
    const hostOnly = { ...gmail, host: "mail.firma.com" };
    const ssl = { host: "smtp.mail.yahoo.com", port: "465", security: "tls" as const, username: "ali@yahoo.com" };
    expect(planAutofill(hostOnly, gmail, ssl)).toEqual({ username: "ali@yahoo.com" });
    // Stored values of an account being edited (no previous suggestion) are all "by hand".
    expect(planAutofill(gmail, null, outlook)).toEqual({});
  });

  it("keeps a hand-typed username and port while filling the rest", () => {
    const typed = { ...empty, username: "ali", port: "2525" };
    expect(planAutofill(typed, null, gmail)).toEqual({
      host: "smtp.gmail.com",
      security: "starttls",
    });
  });

  it("with no suggestion, clears only what the previous one filled in", () => {
    expect(planAutofill(gmail, gmail, null)).toEqual(empty);
    expect(planAutofill({ ...gmail, username: "ali" }, gmail, null)).toEqual({
      host: "",
      port: "",
      security: "",
    });
    expect(planAutofill(empty, null, null)).toEqual({});
    expect(planAutofill(gmail, null, null)).toEqual({});
  });

  it("notes whether the suggestion went into the form", () => {
    expect(autofillNoteFor(empty, planAutofill(empty, null, gmail), gmail)).toBe("filled");
    // Only the username was free: still "filled".
    const typed = { ...gmail, host: "mail.firma.com", username: "" };
    expect(autofillNoteFor(typed, planAutofill(typed, null, gmail), gmail)).toBe("filled");
    // Hand-typed values stay and differ from the suggestion.
    const byHand = { ...outlook, username: "ali" };
    expect(autofillNoteFor(byHand, planAutofill(byHand, null, gmail), gmail)).toBe("kept");
    // The form already holds exactly the suggestion: nothing to say.
    expect(autofillNoteFor(gmail, planAutofill(gmail, gmail, gmail), gmail)).toBeNull();
    // No suggestion: nothing to say, even when something was cleared.
    expect(autofillNoteFor(gmail, planAutofill(gmail, gmail, null), null)).toBeNull();
    expect(autofillNoteFor(empty, {}, null)).toBeNull();
  });

  it("converts a server's port to text", () => {
    expect(serverFields({ host: "h.com", port: 465, security: "tls", username: "u" })).toEqual({
      host: "h.com",
      port: "465",
      security: "tls",
      username: "u",
    });
  });
});

describe("suggestedServer", () => {
  const suggestion = (auth: AuthKind | null): Suggestion => ({
    source: "autoconfig_host",
    providerId: null,
    providerName: "Firma",
    auth,
    hint: null,
    helpUrl: null,
    servers: [
      { host: "smtp.firma.com", port: 587, security: "starttls", username: "ali@firma.com" },
      { host: "smtp.firma.com", port: 465, security: "tls", username: "ali@firma.com" },
    ],
  });

  it("fills the form from a password provider's servers", () => {
    for (const auth of [null, "password", "app_password", "api_key", "oauth_preferred"] as const) {
      expect(suggestedServer(suggestion(auth)), String(auth)).toEqual({
        host: "smtp.firma.com",
        port: "587",
        security: "starttls",
        username: "ali@firma.com",
      });
      expect(oauthOnly(suggestion(auth))).toBe(false);
    }
    expect(suggestedServer(suggestion("password"), 1)?.port).toBe("465");
  });

  it("never fills the form for a provider that takes OAuth sign-in only", () => {
    const s = suggestion("oauth_only");
    expect(oauthOnly(s)).toBe(true);
    expect(suggestedServer(s)).toBeNull();
    expect(suggestedServer(s, 1)).toBeNull();
    // So the autofill clears what an earlier suggestion filled in, and says nothing.
    expect(planAutofill(gmail, gmail, suggestedServer(s))).toEqual(empty);
    expect(autofillNoteFor(gmail, {}, suggestedServer(s))).toBeNull();
  });

  it("has nothing to fill without a suggestion or a server", () => {
    expect(suggestedServer(null)).toBeNull();
    expect(suggestedServer(undefined)).toBeNull();
    expect(oauthOnly(null)).toBe(false);
    expect(suggestedServer({ ...suggestion("password"), servers: [] })).toBeNull();
    expect(suggestedServer(suggestion("password"), 2)).toBeNull();
  });

  it("points an OAuth-only provider at the connect buttons, by their names", () => {
    expect(oauthOnlyNote("tr")).toContain("“Google ile bağlan” ya da “Microsoft ile bağlan”");
    expect(oauthOnlyNote("en")).toContain("“Connect with Google” or “Connect with Microsoft”");
  });
});

describe("outcomeKey", () => {
  it("says why there is no suggestion, in both languages", () => {
    const outcomes: LookupOutcome[] = ["nothingKnown", "noAnswer", "badAddress"];
    for (const outcome of outcomes) {
      for (const lang of ["tr", "en"] as const) {
        expect(translate(lang, outcomeKey(outcome)), `${lang}:${outcome}`).not.toContain("smtp.");
      }
    }
    expect(translate("tr", outcomeKey("nothingKnown"))).toMatch(/^Bu alan adı için bilinen ayar yok/);
    expect(translate("tr", outcomeKey("noAnswer"))).toMatch(/DNS/);
    expect(translate("tr", outcomeKey("badAddress"))).toMatch(/ali@firma\.com\.tr/);
    // Not asked (outside Tauri), or "found" with nothing: the general words.
    expect(outcomeKey(null)).toBe("smtp.suggestion.none");
    expect(outcomeKey("found")).toBe("smtp.suggestion.none");
  });
});

describe("test result texts", () => {
  const failure = (code: ErrorCode) => ({ code, message: "backend words", hint: "backend hint" });

  it("picks the auth_failed fix by the provider's auth kind", () => {
    expect(describeFailure("tr", failure("smtp.auth_failed"), "app_password").hint).toBe(
      "Gmail/Yahoo gibi sağlayıcılar normal şifrenizi kabul etmez: 2 adımlı doğrulamayı açıp bir Uygulama Şifresi oluşturun ve onu girin.",
    );
    expect(describeFailure("tr", failure("smtp.auth_failed"), "oauth_preferred").hint).toBe(
      "Microsoft'ta SMTP AUTH büyük olasılıkla kapalı: hesabı OAuth ile bağlayın ya da BT'den SMTP AUTH'u açmasını isteyin.",
    );
    expect(describeFailure("en", failure("smtp.auth_failed"), "api_key").hint).toMatch(/API key/);
    expect(describeFailure("tr", failure("smtp.auth_failed"), "oauth_only").hint).toBe(
      "Bu sağlayıcı parolayla girişi kabul etmiyor, yalnızca kendi oturum açma yöntemini (OAuth) kullanıyor: hesabı yukarıdaki “Google ile bağlan” ya da “Microsoft ile bağlan” düğmesiyle bağlayın.",
    );
    expect(authFixKey("oauth_only")).toBe("smtp.authFix.oauth_only");
    for (const auth of ["password", null, undefined] as const) {
      expect(describeFailure("tr", failure("smtp.auth_failed"), auth).hint).toBe(
        "Kullanıcı adını (çoğu zaman e-posta adresinin tamamı) ve şifreyi kontrol edin.",
      );
    }
    expect(authFixKey("app_password")).toBe("smtp.authFix.app_password");
    expect(describeFailure("en", failure("smtp.auth_failed"), null).message).not.toBe(
      "backend words",
    );
  });

  it("other codes translate by code and ignore the auth kind", () => {
    const refused = describeFailure("tr", failure("smtp.connection_refused"), "app_password");
    expect(refused.message).toBe("Sunucu bu portta bağlantı kabul etmiyor.");
    expect(refused.hint).toMatch(/587/);
    expect(refused.hint).toMatch(/465/);
    expect(describeFailure("en", failure("smtp.connect_timeout"), null).hint).toMatch(/firewall/);
    expect(describeFailure("tr", failure("smtp.unknown_host"), null).hint).toMatch(/yazım/);
    expect(describeFailure("en", failure("smtp.tls_mode_mismatch"), null).hint).toMatch(
      /465 needs SSL\/TLS, port 587 needs STARTTLS/,
    );
  });

  it("falls back to the backend's words for a code it does not know", () => {
    expect(describeFailure("tr", failure("smtp.brand_new" as ErrorCode), "app_password")).toEqual({
      message: "backend words",
      hint: "backend hint",
    });
  });

  it("names a step by its outcome: done when ok, failed when not", () => {
    expect(translate("tr", stepKey("auth", true))).toBe("Giriş yapıldı");
    expect(translate("tr", stepKey("auth", false))).toBe("Giriş yapılamadı");
    expect(translate("en", stepKey("auth", true))).toBe("Signed in");
    expect(translate("en", stepKey("auth", false))).toBe("Could not sign in");
    expect(translate("tr", stepKey("resolve", true))).toBe("Sunucu adı bulundu");
    expect(translate("tr", stepKey("resolve", false))).toBe("Sunucu adı bulunamadı");
    expect(translate("tr", stepKey("connect", false))).toBe("Bağlanılamadı");
    expect(translate("tr", stepKey("tls", true))).toBe("Güvenli bağlantı kuruldu");
    expect(translate("tr", stepKey("tls", false))).toBe("Güvenli bağlantı kurulamadı");
    expect(translate("en", stepKey("ehlo", false))).toBe("Handshake failed (EHLO)");
  });

  it("has both labels for every step kind, in both languages, never the same", () => {
    for (const kind of STEP_KINDS) {
      for (const lang of ["tr", "en"] as const) {
        const done = translate(lang, stepKey(kind, true));
        const failed = translate(lang, stepKey(kind, false));
        // translate() answers the key itself when a text is missing.
        expect(done, `${lang}:${kind}`).not.toContain("smtp.step.");
        expect(failed, `${lang}:${kind}`).not.toContain("smtp.step.");
        expect(failed, `${lang}:${kind}`).not.toBe(done);
      }
    }
  });

  it("names sources and mode switches in both languages", () => {
    expect(applyModeLabel("tr", "tls", 465)).toBe("SSL/TLS'e geç (465)");
    expect(applyModeLabel("tr", "starttls", 587)).toBe("STARTTLS'e geç (587)");
    const s: Suggestion = {
      source: "builtin",
      providerId: "gmail",
      providerName: "Gmail",
      auth: "app_password",
      hint: { tr: "Uygulama şifresi gerekir.", en: "Needs an app password." },
      helpUrl: null,
      servers: [],
    };
    expect(describeSource("tr", s, "ali@gmail.com")).toBe("Yerleşik sağlayıcı listesi: Gmail");
    expect(describeSource("en", { ...s, source: "mx", providerName: null }, "a@firma.com")).toBe(
      "The domain's MX record: firma.com",
    );
    expect(describeSource("tr", { ...s, source: "guess", providerName: null }, "a@firma.com")).toBe(
      "Tahmin: sunucu bağlantıyı kabul etti (firma.com)",
    );
    expect(describeSource("en", { ...s, source: "guess", providerName: null }, "a@firma.com")).toBe(
      "Guessed: the server answered (firma.com)",
    );
    expect(suggestionHint("en", s)).toBe("Needs an app password.");
    expect(suggestionHint("tr", { ...s, hint: null })).toBeNull();
  });
});

describe("formatCertDate", () => {
  it("writes the date in the page's language", () => {
    expect(formatCertDate("en", "2030-01-15T12:00:00Z")).toBe("15 Jan 2030");
    expect(formatCertDate("tr", "2030-01-15T12:00:00Z")).toBe("15 Oca 2030");
  });

  it("keeps the backend's text when it is not a date", () => {
    expect(formatCertDate("tr", "not a date")).toBe("not a date");
  });
});

describe("passwordNeededAgain", () => {
  const saved = {
    host: "smtp.firma.com.tr",
    port: 587,
    security: "starttls" as const,
    oauth: null,
  };
  const same = { host: "smtp.firma.com.tr", port: "587", security: "starttls" as const };

  it("asks for the password again once host, port or security differs from the saved", () => {
    expect(passwordNeededAgain(saved, { ...same, host: "mail.firma.com.tr" })).toBe(true);
    expect(passwordNeededAgain(saved, { ...same, port: "465" })).toBe(true);
    expect(passwordNeededAgain(saved, { ...same, security: "tls" })).toBe(true);
    // A port being retyped (empty, or unreadable) is not the saved one either.
    expect(passwordNeededAgain(saved, { ...same, port: "" })).toBe(true);
    expect(passwordNeededAgain(saved, { ...same, security: "" })).toBe(true);
  });

  it("does not while the server is the saved one, as the backend compares it", () => {
    expect(passwordNeededAgain(saved, same)).toBe(false);
    // Put back after a change: the requirement goes with it.
    const moved = { ...same, host: "mail.firma.com.tr", port: "465", security: "tls" as const };
    expect(passwordNeededAgain(saved, moved)).toBe(true);
    expect(passwordNeededAgain(saved, { ...moved, host: same.host, port: "587", security: "starttls" })).toBe(
      false,
    );
    // Trimmed as the backend trims; the port as a number.
    expect(passwordNeededAgain(saved, { ...same, host: " smtp.firma.com.tr ", port: " 0587" })).toBe(false);
    expect(
      passwordNeededAgain({ ...saved, host: "::1" }, { ...same, host: "[::1]" }),
    ).toBe(false);
  });

  it("never for a new account, nor one signed in with OAuth", () => {
    expect(passwordNeededAgain(null, { ...same, host: "mail.firma.com.tr" })).toBe(false);
    const oauth = {
      ...saved,
      oauth: { connectionId: 1, provider: "microsoft" as const, status: "active" as const },
    };
    expect(passwordNeededAgain(oauth, { ...same, host: "smtp-mail.outlook.com", port: "465" })).toBe(
      false,
    );
  });

  it("makes an empty password required (and missing) until one is typed", () => {
    const form: AccountForm = {
      email: "ali@firma.com.tr",
      senderName: "",
      host: "mail.firma.com.tr",
      port: "587",
      security: "starttls",
      username: "ali@firma.com.tr",
      password: "",
    };
    expect(validateAccount(form, { creating: false })).toEqual({ issues: {}, missing: [] });
    const again = validateAccount(form, { creating: false, passwordAgain: true });
    expect(again.issues.password).toEqual({ code: "validation.required" });
    expect(again.missing).toEqual(["password"]);
    expect(
      validateAccount({ ...form, password: "yeni-parola" }, { creating: false, passwordAgain: true }),
    ).toEqual({ issues: {}, missing: [] });
  });
});

describe("inputMatchesSaved", () => {
  const saved = {
    email: "ali@firma.com.tr",
    senderName: "Ali",
    host: "smtp.firma.com.tr",
    port: 587,
    security: "starttls" as const,
    username: "ali@firma.com.tr",
    noAuth: false,
  };
  const form: AccountForm = {
    email: "ali@firma.com.tr",
    senderName: "Ali",
    host: "smtp.firma.com.tr",
    port: "587",
    security: "starttls",
    username: "ali@firma.com.tr",
    password: "",
  };

  it("holds while the form sends what the account holds, as the backend trims it", () => {
    expect(inputMatchesSaved(saved, toAccountInput(form))).toBe(true);
    const spaced = { ...form, email: " ali@firma.com.tr ", host: " smtp.firma.com.tr ", port: " 0587" };
    expect(inputMatchesSaved(saved, toAccountInput(spaced))).toBe(true);
    expect(inputMatchesSaved({ ...saved, host: "::1" }, toAccountInput({ ...form, host: "[::1]" }))).toBe(true);
  });

  it("does not for a new account, nor once anything sent differs", () => {
    expect(inputMatchesSaved(null, toAccountInput(form))).toBe(false);
    const changed: Partial<AccountForm>[] = [
      { email: "ayse@firma.com.tr" },
      { senderName: "Ayşe" },
      { host: "mail.firma.com.tr" },
      { port: "465" },
      { port: "" },
      { security: "tls" },
      { username: "ali" },
      { password: "yeni-parola" },
    ];
    for (const c of changed) {
      expect(inputMatchesSaved(saved, toAccountInput({ ...form, ...c })), JSON.stringify(c)).toBe(false);
    }
    expect(inputMatchesSaved(saved, toAccountInput(form, null, true))).toBe(false);
  });

  it("ignores a saved relay's hidden sign-in fields", () => {
    const relay = { ...saved, username: "", noAuth: true };
    const typed = { ...form, username: "eski", password: "gizli" };
    expect(inputMatchesSaved(relay, toAccountInput(typed, null, true))).toBe(true);
    // To sign in now is a change.
    expect(inputMatchesSaved(relay, toAccountInput(typed))).toBe(false);
  });
});

describe("a company relay without a sign-in (noAuth)", () => {
  const form: AccountForm = {
    email: "ali@firma.com.tr",
    senderName: "Ali",
    host: "relay.firma.local",
    port: "25",
    security: "starttls",
    username: "",
    password: "",
  };

  it("requires the username and the password of a new account only when it signs in", () => {
    const signIn = validateAccount(form, { creating: true });
    expect(signIn.missing).toEqual(["username", "password"]);
    expect(Object.keys(signIn.issues)).toEqual(["username", "password"]);
    expect(validateAccount(form, { creating: true, noAuth: true })).toEqual({
      issues: {},
      missing: [],
    });
    // The other fields are checked as ever.
    const empty = validateAccount({ ...form, email: "", host: "", port: "" }, { creating: true, noAuth: true });
    expect(empty.missing).toEqual(["email", "host", "port"]);
  });

  it("does not check what the hidden fields still hold", () => {
    const typed = { ...form, username: "x\ny", password: "a\nb" };
    expect(validateAccount(typed, { creating: true }).issues.username).toEqual({
      code: "validation.control_chars",
    });
    expect(validateAccount(typed, { creating: true, noAuth: true }).issues).toEqual({});
    // Nor the password to type again: none is sent.
    expect(validateAccount(form, { creating: false, passwordAgain: true, noAuth: true })).toEqual({
      issues: {},
      missing: [],
    });
  });

  it("still refuses a plain-text connection to another machine", () => {
    const plain = validateAccount({ ...form, security: "none" }, { creating: true, noAuth: true });
    expect(plain.issues.security?.code).toBe("smtp.insecure_remote");
  });

  it("hides the sign-in fields", () => {
    expect(hiddenFields(true)).toEqual(["username", "password"]);
    expect(hiddenFields(false)).toEqual([]);
  });

  it("sends noAuth with an empty username and no password", () => {
    const typed = { ...form, username: "ali@firma.com.tr", password: "gizli" };
    expect(toAccountInput(typed, null, true)).toEqual({
      email: "ali@firma.com.tr",
      senderName: "Ali",
      host: "relay.firma.local",
      port: 25,
      security: "starttls",
      username: "",
      password: null,
      noAuth: true,
    });
    expect(toAccountInput(typed)).toMatchObject({
      username: "ali@firma.com.tr",
      password: "gizli",
      noAuth: false,
    });
    const limits = { dailyLimit: "50", rampUp: "", minWait: "", jitter: "", active: true };
    expect(toAccountInput(typed, limits, true)).toMatchObject({
      username: "",
      password: null,
      noAuth: true,
      active: true,
      limits: { daily: 50 },
    });
  });

  it("asks for no password again when the server of a relay moves", () => {
    const saved = { host: "relay.firma.local", port: 25, security: "starttls" as const, oauth: null };
    const moved = { host: "relay2.firma.local", port: "25", security: "starttls" as const };
    expect(passwordNeededAgain(saved, moved)).toBe(true);
    expect(passwordNeededAgain(saved, moved, true)).toBe(false);
  });

  it("requires a password once a saved relay is to sign in", () => {
    const relay = { noAuth: true, oauth: null };
    expect(passwordNeededForSignIn(relay, false)).toBe(true);
    expect(passwordNeededForSignIn(relay, true)).toBe(false);
    expect(passwordNeededForSignIn({ noAuth: false, oauth: null }, false)).toBe(false);
    expect(passwordNeededForSignIn(null, false)).toBe(false);
    const oauth = { noAuth: false, oauth: { connectionId: 1, provider: "google" as const, status: "active" as const } };
    expect(passwordNeededForSignIn(oauth, false)).toBe(false);
    // Required and missing until typed, as the password to type again.
    const again = validateAccount(
      { ...form, username: "ali@firma.com.tr" },
      { creating: false, passwordAgain: passwordNeededForSignIn(relay, false) },
    );
    expect(again.missing).toEqual(["password"]);
  });
});

describe("testAllReason", () => {
  const report = (code: ErrorCode) => ({
    success: false,
    steps: [],
    tls: null,
    failure: { step: "auth" as const, code, message: "535 5.7.8", hint: "", suggestion: null },
  });

  it("says nothing for a passed test", () => {
    const passed = { success: true, steps: [], tls: null, failure: null };
    expect(testAllReason("tr", { ok: true, report: passed, error: null })).toBeNull();
  });

  it("words a failed test's cause as the single test does", () => {
    const r = report("smtp.auth_failed");
    expect(testAllReason("tr", { ok: false, report: r, error: null })).toBe(
      describeFailure("tr", r.failure, null).message,
    );
    expect(testAllReason("en", { ok: false, report: r, error: null })).toBe(
      describeFailure("en", r.failure, null).message,
    );
  });

  it("says why a test could not run, or that it failed", () => {
    const error = { code: "ui.backend_unreachable" as const, message: "x", hint: null, field: null };
    expect(testAllReason("tr", { ok: false, report: null, error })).toBe(
      translate("tr", "errors.ui.backend_unreachable.message"),
    );
    const bare = { success: false, steps: [], tls: null, failure: null };
    expect(testAllReason("en", { ok: false, report: bare, error: null })).toBe(
      translate("en", "smtp.test.failed"),
    );
  });
});
