//! The `ulak` binary against a real encrypted store: round trips, clear errors with a
//! non-zero exit, files left untouched, and no secret in the log file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use secrecy::{ExposeSecret, SecretString};

const PASS: &str = "çok gizli parola 42";

fn ulak(dir: &Path, pass: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir").arg(dir).args(args);
    c.env("ULAK_KEYRING", "disabled").env_remove("ULAK_LOG");
    match pass {
        Some(p) => c.env("ULAK_DB_PASSPHRASE", p),
        None => c.env_remove("ULAK_DB_PASSPHRASE"),
    };
    c.output().expect("run ulak")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "ulak failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn failed(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected exit 1, stdout: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

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

fn ulak_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir").arg(dir).args(args);
    c.env("ULAK_KEYRING", "disabled")
        .env("ULAK_DB_PASSPHRASE", PASS)
        .env_remove("ULAK_LOG");
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
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
fn autoconfig_names_its_source_and_fails_clearly_for_unknown_domains() {
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
    let err = failed(&o);
    assert!(err.contains("autoconfig.not_found"), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("http://{closed}/mail/config-v1.1.xml")),
        "{out}"
    );
    assert!(
        out.contains("_submissions._tcp.firma-bilinmiyor.com.tr"),
        "{out}"
    );
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
fn send_queues_first_and_drain_puts_it_in_the_sandbox() {
    let d = tempfile::tempdir().unwrap();
    let body = d.path().join("body.txt");
    std::fs::write(&body, "Merhaba Ayşe Hanım,\nteklifimiz ektedir.\n").unwrap();
    let b = body.to_str().unwrap();
    let company = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "add", "Müşteri A.Ş."],
    ));
    let company = company.trim();
    let args = [
        "send",
        "--sandbox",
        "--company",
        company,
        "--to",
        "ayse@musteri.com.tr",
        "--subject",
        "Teklif — ğüşıöç",
        "--body-file",
        b,
        "--idempotency-key",
        "t1",
    ];
    let id = ok(&ulak(d.path(), Some(PASS), &args)).trim().to_string();
    let again = ok(&ulak(d.path(), Some(PASS), &args)).trim().to_string();
    assert_eq!(
        again, id,
        "the same key queues once and answers with its id"
    );
    let no_company = failed(&ulak(
        d.path(),
        Some(PASS),
        &[
            "send",
            "--sandbox",
            "--company",
            "Yok Böyle Firma",
            "--to",
            "a@b.com",
            "--subject",
            "x",
            "--body-file",
            b,
        ],
    ));
    assert!(no_company.contains("crm.company_not_found"), "{no_company}");
    let bad = [
        "send",
        "--sandbox",
        "--company",
        company,
        "--to",
        "ayse@",
        "--subject",
        "x",
        "--body-file",
        b,
    ];
    assert!(failed(&ulak(d.path(), Some(PASS), &bad)).contains("validation.email"));
    let status = ok(&ulak(d.path(), Some(PASS), &["outbox", "status", "--json"]));
    assert!(
        status.contains("\"queued\": 1"),
        "stored before anything is sent: {status}"
    );

    let out = ok(&ulak(d.path(), Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let files: Vec<_> = std::fs::read_dir(d.path().join("sandbox"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!("{:08}-", id.parse::<i64>().unwrap())),
        "{name}"
    );
    let eml = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(
        eml.contains("To: ayse@musteri.com.tr") && eml.contains("=?utf-8?"),
        "{eml}"
    );
    let out = ok(&ulak(d.path(), Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 0"), "never twice: {out}");
}

#[test]
fn templates_attachments_history_and_pause() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Öztürk Gıda"]));
    let company = company.trim();
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "contacts",
            "add",
            "--company",
            company,
            "--name",
            "Şule İnce",
            "--email",
            "sule@ozturk.com.tr",
        ],
    ));
    let body = p.join("teklif.html");
    std::fs::write(&body, "<p>Sayın {{ contact.first_name }},</p><p>{{ company.name }} için <b>teklifimiz</b> ektedir.</p><script>alert(1)</script>").unwrap();
    let bad = p.join("bad.html");
    std::fs::write(&bad, "<p>{{ contact.frist_name }}</p>").unwrap();
    let err = failed(&ulak(
        p,
        Some(PASS),
        &[
            "templates",
            "add",
            "--name",
            "Hatalı",
            "--subject",
            "x",
            "--body-file",
            bad.to_str().unwrap(),
        ],
    ));
    assert!(
        err.contains("template.unknown_variable") && err.contains("contact.frist_name"),
        "{err}"
    );
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "templates",
            "add",
            "--name",
            "Teklif",
            "--subject",
            "{{ company.name }} — fiyat teklifi",
            "--body-file",
            body.to_str().unwrap(),
        ],
    ));
    let pdf = p.join("fiyat-listesi.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 test bytes \x00\x01\x02").unwrap();

    ok(&ulak(p, Some(PASS), &["outbox", "pause"]));
    let id = ok(&ulak(
        p,
        Some(PASS),
        &[
            "send",
            "--sandbox",
            "--company",
            "öztürk gıda",
            "--to",
            "sule@ozturk.com.tr",
            "--template",
            "teklif",
            "--attach",
            pdf.to_str().unwrap(),
        ],
    ));
    let id = id.trim();
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["paused"], true, "{out}");
    assert_eq!(r["sent"], 0, "paused: nothing is sent: {out}");
    ok(&ulak(p, Some(PASS), &["outbox", "resume"]));
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");

    let hist = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--state", "sent"],
    ));
    let rows: serde_json::Value = serde_json::from_str(&hist).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{hist}");
    assert_eq!(rows[0]["subject"], "Öztürk Gıda — fiyat teklifi");
    assert_eq!(rows[0]["companyName"], "Öztürk Gıda");
    assert_eq!(rows[0]["attachmentCount"], 1);
    assert_eq!(rows[0]["accountId"], serde_json::Value::Null);
    let none = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--state", "failed"],
    ));
    assert_eq!(none.trim(), "[]");

    let detail = ok(&ulak(p, Some(PASS), &["history", "--show", id, "--json"]));
    let dt: serde_json::Value = serde_json::from_str(&detail).unwrap();
    let html = dt["email"]["html"].as_str().unwrap();
    assert!(
        html.contains("Sayın Şule,") && html.contains("<b>teklifimiz</b>"),
        "{html}"
    );
    assert!(!html.contains("script"), "scripts are removed: {html}");
    let text = dt["email"]["text"].as_str().unwrap();
    assert!(
        text.contains("Sayın Şule,") && text.contains("Öztürk Gıda için"),
        "{text}"
    );
    assert_eq!(
        dt["email"]["attachments"][0]["filename"],
        "fiyat-listesi.pdf"
    );
    assert_eq!(
        dt["email"]["attachments"][0]["contentType"],
        "application/pdf"
    );
    assert_eq!(dt["entry"]["channel"], "email");
    let raw = ok(&ulak(p, Some(PASS), &["history", "--show", id]));
    assert!(
        raw.contains("multipart/mixed") && raw.contains("multipart/alternative"),
        "{raw}"
    );
    assert!(
        !raw.contains("Şule"),
        "headers and bodies are 7-bit encoded: {raw}"
    );

    let daily = ok(&ulak(p, Some(PASS), &["history", "--daily", "--json"]));
    let days: serde_json::Value = serde_json::from_str(&daily).unwrap();
    assert_eq!(days[0]["sent"], 1, "{daily}");
    let err = failed(&ulak(p, Some(PASS), &["history", "--retry", id]));
    assert!(err.contains("outbox.not_retryable"), "{err}");
}

#[test]
fn an_sms_to_the_sandbox_is_queued_sent_by_drain_and_listed_with_its_channel() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let text = "Merhaba Işıl Hanım,\nteklifiniz hazır — Öztürk Gıda";
    let args = [
        "sms",
        "send",
        "--sandbox",
        "--to",
        "0532 123 45 67",
        "--text",
        text,
        "--idempotency-key",
        "sms-1",
    ];
    let id = ok(&ulak(p, Some(PASS), &args)).trim().to_string();
    assert_eq!(
        ok(&ulak(p, Some(PASS), &args)).trim(),
        id,
        "the same key queues once"
    );
    for (to, text, code) in [
        ("12", "x", "validation.phone"),
        ("0532 123 45 67", " ", "validation.required"),
        ("0532 123 45 67", "a\tb", "validation.control_chars"),
    ] {
        let err = failed(&ulak(
            p,
            Some(PASS),
            &["sms", "send", "--sandbox", "--to", to, "--text", text],
        ));
        assert!(err.contains(code), "{to:?} {text:?}: {err}");
    }
    let status = ok(&ulak(p, Some(PASS), &["outbox", "status", "--json"]));
    assert!(status.contains("\"queued\": 1"), "stored first: {status}");

    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let dir = p.join("sandbox").join("sms");
    let written = files(&dir);
    assert_eq!(written.len(), 1, "one JSON file per SMS");
    let name = written[0]
        .0
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        name.starts_with(&format!("{:08}-", id.parse::<i64>().unwrap())) && name.ends_with(".json"),
        "{name}"
    );
    let sms: serde_json::Value = serde_json::from_slice(&written[0].1).unwrap();
    assert_eq!(sms["to"], "+905321234567", "E.164");
    assert_eq!(sms["text"], text);

    let history: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["history", "--json"]))).unwrap();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["channel"], "sms");
    assert_eq!(entries[0]["provider"], "sandbox");
    assert_eq!(entries[0]["state"], "sent");
    assert_eq!(entries[0]["to"], "+905321234567");
    let emails = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--channel", "email"],
    ));
    assert_eq!(emails.trim(), "[]", "narrowed to a channel");
    let texts = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--channel", "sms"],
    ));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&texts).unwrap(),
        history
    );
    let shown: serde_json::Value = serde_json::from_str(&ok(&ulak(
        p,
        Some(PASS),
        &["history", "--show", &id, "--json"],
    )))
    .unwrap();
    assert_eq!(shown["email"], serde_json::Value::Null);
    assert_eq!(shown["attempts"].as_array().unwrap().len(), 1, "{shown}");
    assert_eq!(shown["attempts"][0]["outcome"], "sent");
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 0"), "never twice: {out}");
}
