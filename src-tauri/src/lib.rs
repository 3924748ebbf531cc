//! Ulak's desktop shell: the window, plugins and the command table. Each command
//! parses, calls `ulak-core` and maps the error; nothing else lives here.

pub mod commands;
pub mod events;
mod inbound;
mod tray;
mod worker;

use std::sync::Arc;

use tauri::Manager;
use ulak_core::session::Session;
use ulak_core::vault::OsKeyring;

/// The commands the UI may call, with their generated TypeScript types.
pub fn bindings() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::store::app_status,
            commands::store::unlock_with_passphrase,
            commands::store::set_language,
            commands::workspace::list_workspaces,
            commands::workspace::create_workspace,
            commands::workspace::switch_workspace,
            commands::profile::get_profile,
            commands::profile::save_profile,
            commands::accounts::list_accounts,
            commands::accounts::accounts_sending,
            commands::campaigns::list_campaigns,
            commands::campaigns::create_campaign,
            commands::campaigns::campaign_action,
            commands::campaigns::campaign_progress,
            commands::campaigns::outbox_forecast,
            commands::accounts::create_account,
            commands::accounts::update_account,
            commands::accounts::remove_account,
            commands::accounts::suggest_settings,
            commands::accounts::test_account,
            commands::accounts::trust_account_ca,
            commands::accounts::send_test_email,
            commands::companies::list_companies,
            commands::companies::create_company,
            commands::companies::update_company,
            commands::companies::delete_company,
            commands::companies::list_contacts,
            commands::companies::create_contact,
            commands::companies::update_contact,
            commands::companies::delete_contact,
            commands::companies::preview_import,
            commands::companies::import_contacts,
            commands::outbox::composer_info,
            commands::outbox::list_templates,
            commands::outbox::create_template,
            commands::outbox::update_template,
            commands::outbox::delete_template,
            commands::outbox::preview_message,
            commands::outbox::send_message,
            commands::outbox::list_history,
            commands::outbox::get_message,
            commands::accounts::open_help_link,
            commands::accounts::set_account_extras,
            commands::accounts::test_account_input,
            commands::accounts::send_test_email_input,
            commands::accounts::check_account_domain,
            commands::outbox::retry_message,
            commands::outbox::cancel_message,
            commands::outbox::delete_message,
            commands::suppression::list_suppressions,
            commands::suppression::add_suppression,
            commands::suppression::remove_suppression,
            commands::suppression::import_suppressions,
            commands::suppression::export_suppressions,
            commands::suppression::record_unsubscribes,
            commands::suppression::get_unsubscribe_settings,
            commands::suppression::save_unsubscribe_settings,
            commands::outbox::daily_counts,
            commands::outbox::get_sending_state,
            commands::outbox::set_sending_paused,
            commands::outbox::message_states,
            commands::outbox::get_notice_settings,
            commands::outbox::save_notice_settings,
            commands::sms::send_sms,
            commands::sms::send_sms_bulk,
            commands::sms::sms_iys_check,
            commands::whatsapp::send_whatsapp,
            commands::whatsapp::send_whatsapp_bulk,
            commands::inbound::inbound_status,
            commands::inbound::save_inbound_settings,
            commands::inbound::inbound_address,
            commands::inbound::whatsapp_window,
            commands::automations::list_automations,
            commands::automations::set_automation_enabled,
            commands::automations::save_automation,
            commands::automations::automation_event_token,
            commands::automations::emit_automation_event,
            commands::integrations::list_integrations,
            commands::integrations::save_integration,
            commands::integrations::test_integration,
            commands::integrations::remove_integration,
            commands::webhooks::list_webhooks,
            commands::webhooks::add_webhook,
            commands::webhooks::remove_webhook,
            commands::webhooks::rotate_webhook_secret,
            commands::webhooks::send_webhook_test,
            commands::webhooks::webhook_deliveries,
            commands::oauth::begin_connect,
            commands::oauth::finish_connect,
            commands::oauth::cancel_connect,
            commands::oauth::disconnect_account,
            commands::oauth::oauth_apps,
            commands::calendar::calendar_status,
            commands::calendar::begin_calendar_connect,
            commands::calendar::finish_calendar_connect,
            commands::calendar::calendar_prefill,
            commands::calendar::add_calendar_event,
            commands::calendar::upcoming_events,
            commands::calendar::delete_calendar_event,
            commands::oauth::disconnect_grant,
            commands::oauth::test_grant,
            commands::calendar::teams_status,
            commands::calendar::begin_teams_connect,
            commands::calendar::finish_teams_connect,
            commands::sheets::sheets_status,
            commands::sheets::begin_sheets_connect,
            commands::sheets::finish_sheets_connect,
            commands::sheets::test_sheets,
            commands::sheets::export_history_to_sheets,
            commands::sheets::export_campaign_to_sheets,
            commands::google_contacts::google_contacts_status,
            commands::google_contacts::begin_google_contacts_connect,
            commands::google_contacts::finish_google_contacts_connect,
            commands::google_contacts::google_contacts_candidates,
            commands::google_contacts::import_google_contacts,
            commands::drive::drive_status,
            commands::drive::begin_drive_connect,
            commands::drive::finish_drive_connect,
            commands::drive::backup_to_drive,
        ])
        .events(tauri_specta::collect_events![events::OutboxChanged])
        // The closed set of failure codes, as a runtime list for the UI's dictionary test.
        .constant("FAILURE_CODES", ulak_outbox::FailureCode::ALL)
        .typ::<ulak_outbox::FailureCode>()
        // Every error code, as a runtime list for the UI's dictionary test.
        .constant("ERROR_CODES", ulak_core::ErrorCode::ALL)
        // Every form's length limits, so the window checks while typing with Rust's numbers.
        .constant("LIMITS", ulak_core::validate::LIMITS)
        // What each sending provider asks for: the one form renders these.
        .constant("PROVIDER_SPECS", ulak_channels::spec::all().to_vec())
        .typ::<ulak_channels::spec::ProviderSpec>()
        // The event types a webhook endpoint can choose ("*" for all of them).
        .constant(
            "WEBHOOK_EVENTS",
            ulak_channels::webhook::EventType::CHOOSABLE,
        )
        .typ::<ulak_channels::webhook::EventType>()
        .dangerously_cast_bigints_to_number()
        // One TS type per Rust type; our types serialize and deserialize the same way.
        .disable_serde_phases()
}

/// `ulak://oauth/callback?…` links go to the sign-in they belong to (by `state`; one
/// for no running sign-in is ignored, with a log line). The scheme is registered with
/// the desktop where installing did not (an AppImage, a development build).
fn deep_links(app: &tauri::AppHandle) {
    use tauri_plugin_deep_link::DeepLinkExt;
    #[cfg(any(windows, target_os = "linux"))]
    if let Err(e) = app.deep_link().register_all() {
        tracing::info!(error = %e, "the ulak:// scheme could not be registered with the desktop");
    }
    app.deep_link().on_open_url(|event| {
        for url in event.urls() {
            if url.scheme() == "ulak" && url.host_str() == Some("oauth") {
                ulak_api::oauth::deliver_deep_link(url.as_str());
            } else {
                tracing::info!(
                    scheme = url.scheme(),
                    "a link Ulak does not handle was ignored"
                );
            }
        }
    });
}

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/bindings.ts";

pub fn export_bindings(path: &std::path::Path) {
    bindings()
        .export(
            specta_typescript::Typescript::default().header("/* eslint-disable */\n// @ts-nocheck"),
            path,
        )
        .expect("export TypeScript bindings");
}

pub fn run() {
    let data_dir = ulak_core::paths::resolve_data_dir(None);
    let log_guard = ulak_core::logging::init(Some(&data_dir), "info");
    if let Err(e) = ulak_core::process::no_core_dumps() {
        tracing::warn!(error = %e, "core dumps could not be turned off");
    }
    tracing::info!(data_dir = %data_dir.display(), "Ulak starting");
    let builder = bindings();

    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        // A second launch with a `ulak://` link (how the desktop opens one) hands it to
        // this instance through the single-instance plugin, then the deep-link plugin.
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(Session::new(data_dir, Box::new(OsKeyring::default())))
        .manage(Arc::new(worker::Worker::default()))
        .manage(Arc::new(inbound::Receiver::default()))
        .manage(commands::oauth::Connecting::default())
        .invoke_handler({
            let handler = builder.invoke_handler();
            // Each command's name (never its arguments) at debug: what the window asked
            // for, and how often (`ULAK_LOG=info,ulak_app::ipc=debug`).
            move |invoke| {
                tracing::debug!(target: "ulak_app::ipc", command = invoke.message.command(), "command");
                handler(invoke)
            }
        })
        .setup(move |app| {
            builder.mount_events(app);
            deep_links(app.handle());
            // Without a tray host (some desktops, the test display) the app works on.
            if let Err(e) = tray::build(app.handle()) {
                tracing::warn!(error = %e, "no tray icon");
            }
            // Queued and interrupted messages resume as soon as the store is open.
            worker::spawn(app.handle().clone());
            // Providers' webhooks, when a port is set (Entegrasyonlar › Gelen bildirimler).
            inbound::spawn(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running Ulak");
    drop(log_guard);
}
