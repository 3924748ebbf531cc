//! The `ulak` binary against a real encrypted store: round trips, clear errors with a
//! non-zero exit, files left untouched, and no secret in the log file.

mod common;

use std::process::Command;

use common::{failed, files, ok, ulak, ulak_stdin, PASS};
use secrecy::{ExposeSecret, SecretString};

#[test]
fn profile_set_then_show_round_trips_through_the_store() {
    let d = tempfile::tempdir().unwrap();
    ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "profile",
            "set",
            "--display-name",
            "Gülşen Işık",
            "--sender-email",
            "gulsen@örnek.com.tr",
        ],
    ));
    ok(&ulak(
        d.path(),
        Some(PASS),
        &["profile", "set", "--sender-name", "Gülşen — Satış"],
    ));
    let json: serde_json::Value = serde_json::from_str(&ok(&ulak(
        d.path(),
        Some(PASS),
        &["profile", "show", "--json"],
    )))
    .unwrap();
    assert_eq!(json["displayName"], "Gülşen Işık");
    assert_eq!(json["senderEmail"], "gulsen@örnek.com.tr");
    assert_eq!(json["senderName"], "Gülşen — Satış");
    let status: serde_json::Value =
        serde_json::from_str(&ok(&ulak(d.path(), Some(PASS), &["status", "--json"]))).unwrap();
    assert_eq!(status["keySource"], "passphrase");
}

#[test]
fn invalid_address_is_refused_with_its_code_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "profile",
            "set",
            "--display-name",
            "Ali",
            "--sender-email",
            "ali@firma.com",
        ],
    ));
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["profile", "set", "--sender-email", "ali@"],
    ));
    assert!(err.contains("validation.email"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["profile", "set", "--sender-name", "Ali\r\nBcc: x@y.com"],
    ));
    assert!(err.contains("validation.control_chars"), "{err}");
    let out = ok(&ulak(d.path(), Some(PASS), &["profile", "show"]));
    assert!(out.contains("ali@firma.com"), "{out}");
}

#[test]
fn workspaces_are_separate() {
    let d = tempfile::tempdir().unwrap();
    ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "profile",
            "set",
            "--display-name",
            "A",
            "--sender-email",
            "a@a.com",
        ],
    ));
    let id = ok(&ulak(
        d.path(),
        Some(PASS),
        &["workspace", "add", "Bayi Ağı"],
    ))
    .trim()
    .to_string();
    ok(&ulak(d.path(), Some(PASS), &["workspace", "use", &id]));
    let out = ok(&ulak(d.path(), Some(PASS), &["profile", "show", "--json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["displayName"], "",
        "the new workspace has its own, empty profile"
    );
    let list = ok(&ulak(d.path(), Some(PASS), &["workspace", "list"]));
    assert!(list.contains("* ") && list.contains("Bayi Ağı"), "{list}");
    let err = failed(&ulak(d.path(), Some(PASS), &["workspace", "use", "999"]));
    assert!(err.contains("workspace.not_found"), "{err}");
}

#[test]
fn wrong_passphrase_fails_clearly_and_leaves_every_file_as_it_was() {
    let d = tempfile::tempdir().unwrap();
    ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "profile",
            "set",
            "--display-name",
            "A",
            "--sender-email",
            "a@a.com",
        ],
    ));
    let before = files(d.path());
    let err = failed(&ulak(
        d.path(),
        Some("başka bir parola"),
        &["profile", "show"],
    ));
    assert!(err.contains("store.wrong_key"), "{err}");
    let err = failed(&ulak(d.path(), None, &["profile", "show"]));
    assert!(
        err.contains("store.passphrase_required") && err.contains("ULAK_DB_PASSPHRASE"),
        "{err}"
    );
    assert_eq!(files(d.path()), before);
}

#[test]
fn no_keyring_and_no_passphrase_says_what_to_do() {
    let d = tempfile::tempdir().unwrap();
    let err = failed(&ulak(d.path(), None, &["status"]));
    assert!(err.contains("store.keyring_unavailable"), "{err}");
    assert!(err.contains("passphrase"), "{err}");
    assert!(!d.path().join("ulak.db").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_kept() {
    let d = tempfile::tempdir().unwrap();
    ok(&ulak(d.path(), Some(PASS), &["status"]));
    for f in ["ulak.db-wal", "ulak.db-shm"] {
        let _ = std::fs::remove_file(d.path().join(f));
    }
    std::fs::write(
        d.path().join("ulak.db"),
        b"this is a spreadsheet, not a database".repeat(200),
    )
    .unwrap();
    let before = files(d.path());
    let err = failed(&ulak(d.path(), Some(PASS), &["status"]));
    assert!(err.contains("store.corrupt"), "{err}");
    assert_eq!(files(d.path()), before);
}

#[test]
fn read_only_data_dir_gets_its_own_message() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let out = if is_root() {
        // Root ignores file modes, so run the binary as `nobody` on a folder it does not own.
        use std::os::unix::fs::PermissionsExt;
        let bin = d.path().join("ulak");
        std::fs::copy(env!("CARGO_BIN_EXE_ulak"), &bin).unwrap();
        for p in [d.path(), &data] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--data-dir")
            .arg(&data)
            .arg("status")
            .env("ULAK_KEYRING", "disabled")
            .env("ULAK_DB_PASSPHRASE", PASS)
            .env("HOME", d.path())
            .output()
            .expect("setpriv")
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
        ulak(&data, Some(PASS), &["status"])
    };
    let err = failed(&out);
    assert!(err.contains("store.data_dir_not_writable"), "{err}");
    assert!(
        std::fs::read_dir(&data).unwrap().next().is_none(),
        "nothing written"
    );
}

fn is_root() -> bool {
    // SAFETY-free check: /proc/self/status Uid line.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn the_log_file_never_contains_the_passphrase_or_the_key() {
    let d = tempfile::tempdir().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir")
        .arg(d.path())
        .args([
            "profile",
            "set",
            "--display-name",
            "Log Test",
            "--sender-email",
            "log@test.com",
        ])
        .env("ULAK_KEYRING", "disabled")
        .env("ULAK_DB_PASSPHRASE", PASS)
        // Everything, sqlx's statements included.
        .env("ULAK_LOG", "trace");
    ok(&c.output().unwrap());

    let meta = ulak_core::store::StoreMeta::read(&d.path().join("store.json")).unwrap();
    let key = ulak_core::store::StoreKey::derive(
        &SecretString::from(PASS.to_string()),
        meta.kdf.as_ref().unwrap(),
    )
    .unwrap()
    .to_secret_hex();
    let mut log = String::new();
    for e in std::fs::read_dir(d.path().join("logs")).unwrap() {
        log.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    assert!(log.contains("store opened"), "the log was written: {log}");
    assert!(log.contains("profile saved"), "{log}");
    assert!(!log.contains(PASS), "passphrase leaked into the log");
    assert!(
        !log.contains(key.expose_secret()),
        "store key leaked into the log"
    );
}

#[test]
fn accounts_take_the_password_from_stdin_and_list_it_masked() {
    let d = tempfile::tempdir().unwrap();
    let add = [
        "accounts",
        "add",
        "--email",
        "satis@firma.com.tr",
        "--host",
        "smtp.firma.com.tr",
        "--port",
        "587",
        "--security",
        "starttls",
        "--username",
        "satis@firma.com.tr",
        "--password-stdin",
    ];
    let id = ok(&ulak_stdin(d.path(), &add, "şifre-çok-gizli\n"))
        .trim()
        .to_string();
    let list = ok(&ulak(d.path(), Some(PASS), &["accounts", "list"]));
    assert!(
        list.contains("satis@firma.com.tr") && list.contains(ulak_core::secret::MASK),
        "{list}"
    );
    assert!(!list.contains("şifre-çok-gizli"));
    let json = ok(&ulak(d.path(), Some(PASS), &["accounts", "list", "--json"]));
    assert!(
        !json.contains("şifre-çok-gizli") && json.contains("\"passwordSet\": true"),
        "{json}"
    );

    // Same validation as the form: port 0, a host with a space, CR/LF.
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "edit", "--id", &id, "--port", "0"],
    ));
    assert!(err.contains("smtp.bad_port"), "{err}");
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "edit", "--id", &id, "--host", "smtp firma"],
    ));
    assert!(err.contains("smtp.bad_host"), "{err}");
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "add", "--email", "b@firma.com.tr"],
    ));
    assert!(
        err.contains("smtp.settings_incomplete")
            && err.contains("host, port, security, username, password"),
        "{err}"
    );
    let out = ok(&ulak(d.path(), Some(PASS), &["accounts", "list", "--json"]));
    assert!(out.contains("\"port\": 587"), "nothing changed: {out}");

    // There is no way to pass a password as an argument.
    let o = ulak(
        d.path(),
        Some(PASS),
        &["accounts", "edit", "--id", &id, "--password", "x"],
    );
    assert_eq!(o.status.code(), Some(2));

    ok(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "remove", "--id", &id],
    ));
    assert_eq!(
        ok(&ulak(d.path(), Some(PASS), &["accounts", "list"])).trim(),
        ""
    );
}

#[test]
fn autoconfig_names_its_source_and_fails_clearly_when_nothing_answers() {
    let d = tempfile::tempdir().unwrap();
    let out = ok(&ulak(
        d.path(),
        None,
        &["autoconfig", "ayse@yandex.com.tr", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["suggestion"];
    assert_eq!(s["source"], "builtin");
    assert_eq!(s["providerId"], "yandex");
    assert_eq!(s["servers"][0]["host"], "smtp.yandex.com");
    assert_eq!(s["servers"][0]["username"], "ayse@yandex.com.tr");

    // Every network source pointed at closed loopback ports: nothing leaves the machine.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_ulak"))
        .args(["autoconfig", "ali@firma-bilinmiyor.com.tr"])
        .env("ULAK_AUTOCONFIG_HTTP_BASE", format!("http://{closed}"))
        .env(
            "ULAK_AUTOCONFIG_ISPDB_URL",
            format!("http://{closed}/v1.1/"),
        )
        .env("ULAK_DNS_SERVER", closed.to_string())
        .output()
        .unwrap();
    // Nothing answered at all: said as such, not as "unknown domain".
    let err = failed(&o);
    assert!(err.contains("autoconfig.no_answer"), "{err}");
    assert!(err.contains("internet connection"), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("http://{closed}/mail/config-v1.1.xml")),
        "{out}"
    );
    assert!(
        out.contains("_submissions._tcp.firma-bilinmiyor.com.tr"),
        "{out}"
    );
    // Not an address: refused before any lookup.
    let bad = failed(&ulak(
        d.path(),
        None,
        &["autoconfig", "ali@firma@baska.com"],
    ));
    assert!(bad.contains("validation.email"), "{bad}");
}

/// Against the test mail server that scripts/test.sh starts (tests/servers/mailserver.sh).
#[test]
fn accounts_test_reports_each_account_and_fails_when_one_fails() {
    let (Ok(port), Ok(ca)) = (
        std::env::var("ULAK_TEST_SMTP_STARTTLS"),
        std::env::var("ULAK_TEST_SMTP_CA"),
    ) else {
        eprintln!("skipped: no test mail server (run through scripts/test.sh)");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let add = |email: &str, pw: &str| {
        let args = [
            "accounts",
            "add",
            "--email",
            email,
            "--host",
            "localhost",
            "--port",
            &port,
            "--security",
            "starttls",
            "--username",
            "ali@test.local",
            "--password-stdin",
        ];
        ok(&ulak_stdin(d.path(), &args, &format!("{pw}\n")))
            .trim()
            .to_string()
    };
    let good = add("ali@test.local", "dogru-sifre");
    let bad = add("yanlis@test.local", "yanlış");
    ok(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "trust-ca", "--id", &good, &ca],
    ));
    ok(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "trust-ca", "--id", &bad, &ca],
    ));

    let out = ok(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "test", "--id", &good, "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["success"], true, "{out}");
    assert_eq!(v[0]["account_email"], "ali@test.local");
    let steps: Vec<&str> = v[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["resolve", "connect", "greeting", "ehlo", "starttls", "tls", "ehlo", "auth"]
    );

    let o = ulak(d.path(), Some(PASS), &["accounts", "test"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("ok    ali@test.local"), "{text}");
    assert!(
        text.contains("FAIL  yanlis@test.local") && text.contains("smtp.auth_failed"),
        "{text}"
    );
    assert!(!text.contains("yanlış"), "no password in the output");
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "test", "--email", "kimse@test.local"],
    ));
    assert!(err.contains("smtp.account_not_found"), "{err}");
}

#[test]
fn companies_import_reports_rejected_rows_and_lists_what_came_in() {
    let d = tempfile::tempdir().unwrap();
    let csv = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/contacts-tr.csv"
    );
    let out = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "import", csv, "--json"],
    ));
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["rows"], 6);
    assert_eq!(r["contactsAdded"], 3);
    assert_eq!(r["companiesAdded"], 2);
    let lines: Vec<u64> = r["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [4, 6, 7], "{out}");

    let list = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "list", "--search", "çelik"],
    ));
    assert!(
        list.contains("Çelik Yapı A.Ş.") && list.contains("(2 contacts)"),
        "{list}"
    );
    let id = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "add", "Yeni Müşteri"],
    ))
    .trim()
    .to_string();
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "add", "YENİ MÜŞTERİ"],
    ));
    assert!(err.contains("crm.duplicate_company"), "{err}");
    ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "contacts",
            "add",
            "--company",
            &id,
            "--name",
            "Su Ay",
            "--phone",
            "0555 444 33 22",
        ],
    ));
    let people = ok(&ulak(
        d.path(),
        Some(PASS),
        &["contacts", "list", "--company", &id],
    ));
    assert!(people.contains("+905554443322"), "{people}");

    // Another workspace sees none of it.
    let other = ok(&ulak(d.path(), Some(PASS), &["workspace", "add", "Diğer"]))
        .trim()
        .to_string();
    let list = ok(&ulak(
        d.path(),
        Some(PASS),
        &["--workspace", &other, "companies", "list"],
    ));
    assert_eq!(list.trim(), "");
    let err = failed(&ulak(
        d.path(),
        Some(PASS),
        &[
            "--workspace",
            &other,
            "contacts",
            "list",
            "--company",
            &id,
            "--json",
        ],
    ));
    assert!(err.contains("crm.company_not_found"), "{err}");
}

#[test]
fn providers_are_read_from_the_same_specs_as_the_window() {
    let d = tempfile::tempdir().unwrap();
    // No store needed: nothing is created in the data folder.
    let list = ok(&ulak(d.path(), None, &["providers", "list"]));
    for line in ["email     smtp", "email     sandbox", "sms       sandbox"] {
        assert!(list.contains(line), "{line} in\n{list}");
    }
    let smtp = ok(&ulak(
        d.path(),
        None,
        &["providers", "show", "email", "smtp"],
    ));
    assert!(smtp.contains("--sender-name"), "{smtp}");
    assert!(
        smtp.contains("--password-stdin") && smtp.contains("secret"),
        "{smtp}"
    );
    assert!(smtp.contains("one of starttls, tls, none"), "{smtp}");
    assert!(smtp.contains("at most 253 characters"), "{smtp}");
    let json = ok(&ulak(
        d.path(),
        None,
        &["providers", "show", "email", "smtp", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["test"]["kind"], "smtp_steps");
    let secret: Vec<_> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "secret")
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(secret, ["password"]);
    let err = failed(&ulak(d.path(), None, &["providers", "show", "sms", "nope"]));
    assert!(err.contains("no provider sms/nope"), "{err}");
    let made: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "logs")
        .collect();
    assert!(
        made.is_empty(),
        "providers must not open the store: {made:?}"
    );
}

#[test]
fn an_incomplete_account_names_the_flags_to_give_and_saves_nothing() {
    let d = tempfile::tempdir().unwrap();
    let o = ulak_stdin(
        d.path(),
        &[
            "accounts",
            "add",
            "--email",
            "satış@örnek.com.tr",
            "--security",
            "tls",
            "--password-stdin",
        ],
        "gizli\n",
    );
    let err = failed(&o);
    assert!(err.contains("smtp.settings_incomplete"), "{err}");
    assert!(err.contains("--host --port --username"), "{err}");
    let list = ok(&ulak(d.path(), Some(PASS), &["accounts", "list", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&list).unwrap(),
        serde_json::json!([])
    );
}
