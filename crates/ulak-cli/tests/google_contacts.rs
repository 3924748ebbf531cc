//! `ulak google-contacts` (issue 20): Google Contacts connected through the test
//! authorization server, read from the People-API-shaped server (google_api.py, more
//! than one page of contacts): a company's candidates suggested by organization and by
//! its contacts' e-mail domain, the import merging the same e-mail (any case) or phone
//! into one contact and filling only what it lacked; importing again adds nothing.

mod common;

use common::{configure_oauth, failed, ok, signing_in, ulak, PASS};
use serde_json::Value;
use ulak_channels::testing::{browser_sign_in, FakeProvider};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn google_contacts_are_suggested_and_merged_into_a_company() {
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);
    configure_oauth(p, "google", &auth, &api.base);
    let company = ok(&run(&["companies", "add", "Öztürk Gıda"]))
        .trim()
        .to_string();
    ok(&run(&[
        "contacts",
        "add",
        "--company",
        &company,
        "--name",
        "Işıl Şahin",
        "--email",
        "isil@ozturkgida.com.tr",
    ]));

    let err = failed(&run(&["google-contacts", "list", "--company", &company]));
    assert!(err.contains("google_contacts.not_connected"), "{err}");
    let (mut child, url) = signing_in(
        p,
        &[
            "google-contacts",
            "connect",
            "--no-browser",
            "--email",
            "ayse@gmail.com",
        ],
    );
    assert_eq!(browser_sign_in(&url).await.0, 200);
    assert!(child.wait().unwrap().success());

    let list = json_of(&run(&[
        "google-contacts",
        "list",
        "--company",
        "Öztürk Gıda",
        "--json",
    ]));
    let all = list.as_array().unwrap();
    assert_eq!(all.len(), 1106, "every page was read");
    let suggested: Vec<&str> = all
        .iter()
        .filter(|c| c["suggested"] == true)
        .map(|c| c["person"]["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        suggested,
        [
            "isil@ozturkgida.com.tr",
            "cagri@ozturkgida.com.tr",
            "sule@ozturkgida.com.tr",
            "ISIL@ozturkgida.com.tr",
            "muhasebe@ozturkgida.com.tr"
        ],
        "by organization (any case, Turkish letters) and by the company's domain; first"
    );
    assert_eq!(all[0]["known"], true);
    let pages = api
        .requests()
        .into_iter()
        .filter(|r| r["path"] == "/v1/people/me/connections")
        .collect::<Vec<_>>();
    assert_eq!(pages.len(), 2, "{pages:?}");
    for r in &pages {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
        assert!(r["query"]["personFields"]
            .as_str()
            .unwrap()
            .contains("emailAddresses"));
    }

    let report = json_of(&run(&[
        "google-contacts",
        "import",
        "--company",
        &company,
        "--json",
    ]));
    assert_eq!(report["people"], 5, "{report}");
    assert_eq!(report["added"], 3, "{report}");
    assert_eq!(report["merged"], 1, "Işıl's phone filled in: {report}");
    assert_eq!(report["unchanged"], 1, "ISIL@ is Işıl: {report}");
    let contacts = json_of(&run(&["contacts", "list", "--company", &company, "--json"]));
    let contacts = contacts.as_array().unwrap();
    assert_eq!(contacts.len(), 4, "{contacts:?}");
    let isil = contacts
        .iter()
        .find(|c| c["email"] == "isil@ozturkgida.com.tr")
        .unwrap();
    assert_eq!(isil["name"], "Işıl Şahin", "the name she had is kept");
    assert_eq!(isil["phone"], "+905321234567");
    assert!(contacts
        .iter()
        .any(|c| c["name"] == "muhasebe@ozturkgida.com.tr"));
    assert!(contacts.iter().any(|c| c["phone"] == "+905337654321"));

    // Again: everything is there already.
    let again = json_of(&run(&[
        "google-contacts",
        "import",
        "--company",
        &company,
        "--json",
    ]));
    assert_eq!(
        (again["added"].as_u64(), again["merged"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    // One by its address, from another company's people — who shares the switchboard
    // number of a contact already there without an e-mail: another person, added apart
    // (her record keeps no stranger's address).
    ok(&run(&[
        "contacts",
        "add",
        "--company",
        &company,
        "--name",
        "Ayşe Santral",
        "--phone",
        "0212 555 00 00",
    ]));
    let one = json_of(&run(&[
        "google-contacts",
        "import",
        "--company",
        &company,
        "--email",
        "ali@baskafirma.com",
        "--json",
    ]));
    assert_eq!(one["added"], 1, "{one}");
    assert_eq!(one["merged"], 0, "{one}");
    let contacts = json_of(&run(&["contacts", "list", "--company", &company, "--json"]));
    let ayse = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Ayşe Santral")
        .unwrap()
        .clone();
    assert_eq!(ayse["email"], "", "{ayse}");
}
