//! The tray icon: open Ulak, pause or resume sending, quit; its tooltip says how many
//! messages wait. Pausing is the same setting `ulak outbox pause` writes, so the app,
//! the tray and the command line agree. The tray follows the outbox by its event; the
//! worker does not know the tray.

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Listener, Manager, Wry};
use ulak_core::session::Session;
use ulak_core::settings::Language;
use ulak_outbox::worker;

use crate::events::OutboxChanged;

pub struct Tray {
    pause: MenuItem<Wry>,
    open: MenuItem<Wry>,
    quit: MenuItem<Wry>,
    /// The pause item says "resume" now: a click does what it says, whatever changed
    /// since (a pause from the command line is followed, never toggled blindly).
    offers_resume: std::sync::atomic::AtomicBool,
}

/// The menu's words in the app's language (the UI's own dictionary, `tray.*`).
fn words(lang: Language, paused: bool) -> (String, String, String) {
    let w = |key: &str| ulak_core::words::text(lang, &format!("tray.{key}"), &[]);
    (
        w("open"),
        w(if paused { "resume" } else { "pause" }),
        w("quit"),
    )
}

pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let (open_t, pause_t, quit_t) = words(Language::Tr, false);
    let open = MenuItem::with_id(app, "open", &open_t, true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause", &pause_t, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", &quit_t, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &pause, &quit])?;
    let mut b = TrayIconBuilder::with_id("ulak")
        .menu(&menu)
        .tooltip("Ulak")
        .on_menu_event(|app, e| match e.id().as_ref() {
            "open" => {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.unminimize();
                    let _ = w.show();
                    let _ = w.set_focus();
                }
            }
            "pause" => {
                let app = app.clone();
                let resume = app
                    .try_state::<Tray>()
                    .is_some_and(|t| t.offers_resume.load(std::sync::atomic::Ordering::SeqCst));
                tauri::async_runtime::spawn(async move {
                    if let Ok(store) = app.state::<Session>().store().await {
                        let _ = crate::worker::set_paused(&app, store.pool(), !resume).await;
                    }
                });
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        b = b.icon(icon.clone());
    }
    b.build(app)?;
    app.manage(Tray {
        pause,
        open,
        quit,
        offers_resume: Default::default(),
    });
    let handle = app.clone();
    app.listen_any(<OutboxChanged as tauri_specta::Event>::NAME, move |_| {
        let app = handle.clone();
        tauri::async_runtime::spawn(async move { refresh(&app).await });
    });
    Ok(())
}

/// Menu words in the app's language, pause or resume as fits, and the waiting count.
pub async fn refresh(app: &AppHandle) {
    let Some(tray) = app.try_state::<Tray>() else {
        return;
    };
    let Ok(store) = app.state::<Session>().store().await else {
        return;
    };
    let pool = store.pool();
    let lang = ulak_core::settings::language(pool)
        .await
        .unwrap_or_default();
    let paused = worker::paused(pool).await.unwrap_or(false);
    let (open_t, pause_t, quit_t) = words(lang, paused);
    let _ = tray.open.set_text(open_t);
    let _ = tray.pause.set_text(pause_t);
    tray.offers_resume
        .store(paused, std::sync::atomic::Ordering::SeqCst);
    let _ = tray.quit.set_text(quit_t);
    let waiting = worker::waiting(pool).await.unwrap_or(0).to_string();
    let mut tip = ulak_core::words::text(
        lang,
        if paused { "tray.tipPaused" } else { "tray.tip" },
        &[("waiting", &waiting)],
    );
    // A campaign paces itself over days: it goes on only while the machine is on.
    let campaigns = ulak_outbox::campaigns::running(pool).await.unwrap_or(0);
    if campaigns > 0 {
        let line =
            ulak_core::words::text(lang, "tray.campaigns", &[("count", &campaigns.to_string())]);
        tip = format!("{tip}\n{line}");
    }
    if let Some(t) = app.tray_by_id("ulak") {
        let _ = t.set_tooltip(Some(tip));
    }
}
