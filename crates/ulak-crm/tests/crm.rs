//! Companies, contacts and CSV import in a real encrypted store, kept per workspace.

use ulak_core::{workspace, UserFacing};
use ulak_crm::companies::{self, CompanyInput};
use ulak_crm::contacts::{self, ContactInput};
use ulak_crm::import::{import_csv, Mapping};

use ulak_core::testing::temp_store as store;

fn company(name: &str) -> CompanyInput {
    CompanyInput {
        name: name.into(),
        notes: String::new(),
    }
}

fn contact(name: &str, email: &str, phone: &str) -> ContactInput {
    ContactInput {
        name: name.into(),
        email: email.into(),
        phone: phone.into(),
        notes: String::new(),
        ..Default::default()
    }
}

#[tokio::test]
async fn companies_and_contacts_round_trip_with_checks() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;

    let c = companies::create(p, ws, &company("Öztürk Tekstil A.Ş."))
        .await
        .unwrap();
    assert_eq!(
        companies::create(p, ws, &company("öztürk tekstil a.ş."))
            .await
            .unwrap_err()
            .code(),
        "crm.duplicate_company"
    );
    let k = contacts::create(
        p,
        ws,
        c.id,
        &contact("Ayşe Işık", "ayse@ozturk.com.tr", "0532 123 45 67"),
    )
    .await
    .unwrap();
    assert_eq!(k.phone, "+905321234567");
    assert_eq!(
        contacts::create(p, ws, c.id, &contact("Başka", "AYSE@ozturk.com.tr", ""))
            .await
            .unwrap_err()
            .code(),
        "crm.duplicate_contact"
    );
    let bad = contacts::create(p, ws, c.id, &contact("X", "x@", ""))
        .await
        .unwrap_err();
    assert_eq!(
        (bad.code().as_str(), bad.field()),
        ("validation.email", Some("email"))
    );
    let bad = contacts::create(p, ws, c.id, &contact("X", "", "12"))
        .await
        .unwrap_err();
    assert_eq!(
        (bad.code().as_str(), bad.field()),
        ("validation.phone", Some("phone"))
    );
    let bad = contacts::create(p, ws, c.id, &contact("Ulaşılamaz", "", ""))
        .await
        .unwrap_err();
    assert_eq!(
        bad.code(),
        "validation.required",
        "an address or a phone is needed"
    );

    assert_eq!(
        companies::list(p, ws, Some("tekstil")).await.unwrap().len(),
        1
    );
    assert_eq!(
        companies::list(p, ws, Some("ÖZTÜRK")).await.unwrap().len(),
        1,
        "Turkish capitals match"
    );
    assert_eq!(
        companies::list(p, ws, Some("ışık")).await.unwrap().len(),
        1,
        "found by a contact's name"
    );
    assert_eq!(
        companies::list(p, ws, Some("ayse@")).await.unwrap().len(),
        1,
        "found by a contact's address"
    );
    assert!(companies::list(p, ws, Some("yok"))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(companies::get(p, ws, c.id).await.unwrap().contact_count, 1);

    companies::delete(p, ws, c.id).await.unwrap();
    assert_eq!(
        contacts::get(p, ws, k.id).await.unwrap_err().code(),
        "crm.contact_not_found",
        "contacts go with the company"
    );
}

#[tokio::test]
async fn nothing_of_one_workspace_is_seen_or_touched_from_another() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let a = workspace::active(p).await.unwrap().id;
    let b = workspace::create(p, "Bayi").await.unwrap().id;
    let c = companies::create(p, a, &company("Gizli Müşteri"))
        .await
        .unwrap();
    let k = contacts::create(p, a, c.id, &contact("Ali", "ali@gizli.com", ""))
        .await
        .unwrap();

    assert!(companies::list(p, b, None).await.unwrap().is_empty());
    assert_eq!(
        companies::get(p, b, c.id).await.unwrap_err().code(),
        "crm.company_not_found"
    );
    assert_eq!(
        contacts::get(p, b, k.id).await.unwrap_err().code(),
        "crm.contact_not_found"
    );
    assert_eq!(
        contacts::of_company(p, b, c.id).await.unwrap_err().code(),
        "crm.company_not_found"
    );
    // Adding a contact under A's company from B is refused, as are edits and deletes.
    assert_eq!(
        contacts::create(p, b, c.id, &contact("Eve", "eve@x.com", ""))
            .await
            .unwrap_err()
            .code(),
        "crm.company_not_found"
    );
    assert_eq!(
        companies::update(p, b, c.id, &company("Ele geçti"))
            .await
            .unwrap_err()
            .code(),
        "crm.company_not_found"
    );
    assert_eq!(
        contacts::delete(p, b, k.id).await.unwrap_err().code(),
        "crm.contact_not_found"
    );
    assert_eq!(
        companies::delete(p, b, c.id).await.unwrap_err().code(),
        "crm.company_not_found"
    );
    assert_eq!(
        companies::get(p, a, c.id).await.unwrap().name,
        "Gizli Müşteri"
    );
    // The same company name may exist in both.
    companies::create(p, b, &company("Gizli Müşteri"))
        .await
        .unwrap();
}

#[tokio::test]
async fn csv_import_maps_columns_reports_rejected_rows_and_shows_progress() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    companies::create(p, ws, &company("Mevcut Firma"))
        .await
        .unwrap();
    let csv = "\u{feff}Firma;Ad Soyad;E-posta;Telefon;Notlar\n\
               Çelik Yapı;Gökhan Şahin;gokhan@celik.com.tr;0532 111 22 33;fuar\n\
               Çelik Yapı;Derya Öz;derya@celik.com.tr;;\n\
               Çelik Yapı;Tekrar;GOKHAN@celik.com.tr;;\n\
               Mevcut Firma;Ece;ece@mevcut.com;;\n\
               ;Firmasız;a@b.com;;\n\
               Bozuk;Adres;bozuk@;;\n\
               Telefonlu;Tel;;12;\n";
    let mut calls = Vec::new();
    let r = import_csv(p, ws, csv.as_bytes(), None, |done, total| {
        calls.push((done, total))
    })
    .await
    .unwrap();
    assert_eq!(r.rows, 7);
    assert_eq!(r.contacts_added, 3);
    assert_eq!(r.companies_added, 1, "Mevcut Firma already existed");
    let lines: Vec<(u64, &str)> = r
        .rejected
        .iter()
        .map(|x| (x.line, x.code.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (4, "crm.duplicate_contact"),
            (6, "validation.required"),
            (7, "validation.email"),
            (8, "validation.phone")
        ]
    );
    assert_eq!(calls.last(), Some(&(7, 7)), "progress reaches the end");
    let celik = companies::by_name(p, ws, "ÇELİK YAPI")
        .await
        .unwrap()
        .expect("found whatever the case");
    let people = contacts::of_company(p, ws, celik.id).await.unwrap();
    assert_eq!(
        people.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Derya Öz", "Gökhan Şahin"]
    );
    assert_eq!(people[1].phone, "+905321112233");

    // Importing the same file again adds nothing new and says why.
    let again = import_csv(p, ws, csv.as_bytes(), None, |_, _| {})
        .await
        .unwrap();
    assert_eq!(again.contacts_added, 0);

    // A file without a company column is refused as a whole, and an explicit mapping fixes it.
    let other = "Kurum,Kişi,Posta\nAcme,Zeynep,zeynep@acme.com\n";
    assert_eq!(
        import_csv(p, ws, other.as_bytes(), None, |_, _| {})
            .await
            .unwrap_err()
            .code(),
        "import.no_company_column"
    );
    let m = Mapping {
        company: Some(0),
        name: Some(1),
        email: Some(2),
        ..Default::default()
    };
    assert_eq!(
        import_csv(p, ws, other.as_bytes(), Some(m), |_, _| {})
            .await
            .unwrap()
            .contacts_added,
        1
    );

    // İYS: an "Alıcı Tipi" column sets each contact's type (any case, Turkish İ); an
    // empty cell is TACIR; an unknown word rejects that row, named.
    let typed = "Firma;Ad Soyad;E-posta;Alıcı Tipi\n\
                 Işık Tekstil;Çağla Işık;cagla@isik.com.tr;bireysel\n\
                 Işık Tekstil;Burak Işık;burak@isik.com.tr;TACİR\n\
                 Işık Tekstil;Ayşe Işık;ayse@isik.com.tr;\n\
                 Işık Tekstil;Deniz Işık;deniz@isik.com.tr;şahıs\n";
    let r = import_csv(p, ws, typed.as_bytes(), None, |_, _| {})
        .await
        .unwrap();
    assert_eq!(r.contacts_added, 3);
    assert_eq!(
        r.rejected
            .iter()
            .map(|x| (x.line, x.code.as_str()))
            .collect::<Vec<_>>(),
        [(5, "validation.choice")]
    );
    let isik = companies::by_name(p, ws, "Işık Tekstil")
        .await
        .unwrap()
        .unwrap();
    let kinds: Vec<(String, &str)> = contacts::of_company(p, ws, isik.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.email, c.recipient_type.as_str()))
        .collect();
    assert!(
        kinds.contains(&("cagla@isik.com.tr".into(), "BIREYSEL")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("burak@isik.com.tr".into(), "TACIR")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("ayse@isik.com.tr".into(), "TACIR")),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_rule_is_checked_whole_before_it_is_saved() {
    use ulak_crm::automations::{self, Action, AutomationInput};
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let list = automations::list(p, ws).await.unwrap();
    assert_eq!(list.len(), 4, "the seeds' four");
    assert!(list.iter().all(|a| !a.enabled));
    let rule = |event: &str, text: &str| AutomationInput {
        name: "Teklif SMS".into(),
        event: event.into(),
        actions: vec![Action::Sms {
            provider: None,
            text: text.into(),
        }],
    };
    // An SMS may span lines.
    let a = automations::save(
        p,
        ws,
        None,
        &rule("quote.sent", "Sayın {{ contact.name }},\nteklifimiz hazır."),
    )
    .await
    .unwrap();
    assert!(!a.enabled, "a new rule is off");
    // An unknown event, a tab, an empty text, a second rule of the same name: refused,
    // nothing changed.
    for (event, text) in [
        ("deal.won", "x"),
        ("quote.sent", "a\tb"),
        ("quote.sent", "  "),
    ] {
        let e = automations::save(
            p,
            ws,
            None,
            &AutomationInput {
                name: "Başka".into(),
                ..rule(event, text)
            },
        )
        .await
        .unwrap_err();
        assert!(e.code().as_str().starts_with("validation."), "{e}");
    }
    let e = automations::save(p, ws, None, &rule("quote.sent", "x"))
        .await
        .unwrap_err();
    assert_eq!(e.code().as_str(), "automation.duplicate");
    assert_eq!(automations::list(p, ws).await.unwrap().len(), 5);
}
