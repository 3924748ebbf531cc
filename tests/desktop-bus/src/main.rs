//! The desktop's side of D-Bus for the end-to-end tests, where Xvfb has no panel and no
//! notification daemon:
//!
//! - `serve LOG`: owns `org.kde.StatusNotifierWatcher` (the tray host the app's
//!   appindicator registers its icon with) and `org.freedesktop.Notifications`, and
//!   appends a JSON line to LOG for each tray item registered and each notification.
//! - `menu ITEM`: prints the tray item's menu (com.canonical.dbusmenu) as JSON:
//!   `[{"id": 1, "label": "…", "enabled": true}, …]`.
//! - `click ITEM LABEL`: clicks the menu entry with that label, as a panel would.
//!
//! ITEM is what the app registered: `bus-name/object/path`.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value as Json};
use zbus::message::Header;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::{interface, Connection};

type Log = Arc<Mutex<std::fs::File>>;

fn record(log: &Log, line: Json) {
    let mut f = log.lock().expect("log");
    let _ = writeln!(f, "{line}");
    let _ = f.flush();
}

struct Watcher {
    log: Log,
    items: Vec<String>,
}

#[interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &mut self,
        service: String,
        #[zbus(header)] h: Header<'_>,
    ) {
        // appindicator passes its object path; the sender's unique name completes it.
        let item = if service.starts_with('/') {
            let sender = h.sender().map(|s| s.to_string()).unwrap_or_default();
            format!("{sender}{service}")
        } else {
            format!("{service}/StatusNotifierItem")
        };
        record(&self.log, json!({"event": "tray-item", "item": item}));
        self.items.push(item);
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

struct Notifications {
    log: Log,
    last: u32,
}

#[interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        self.last += 1;
        record(
            &self.log,
            json!({"event": "notification", "id": self.last, "app": app_name,
                   "replaces": replaces_id, "icon": app_icon, "summary": summary, "body": body}),
        );
        self.last
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "ulak-test-desktop".into(),
            "ulak".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

async fn serve(path: &str) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("open {path}"))?;
    let log: Log = Arc::new(Mutex::new(file));
    let _conn = zbus::connection::Builder::session()?
        .serve_at(
            "/StatusNotifierWatcher",
            Watcher {
                log: log.clone(),
                items: Vec::new(),
            },
        )?
        .serve_at(
            "/org/freedesktop/Notifications",
            Notifications {
                log: log.clone(),
                last: 0,
            },
        )?
        .name("org.kde.StatusNotifierWatcher")?
        .name("org.freedesktop.Notifications")?
        .build()
        .await?;
    record(&log, json!({"event": "ready"}));
    tokio::signal::ctrl_c().await?;
    Ok(())
}

fn split_item(item: &str) -> Result<(&str, &str)> {
    let i = item
        .find('/')
        .ok_or_else(|| anyhow!("ITEM is bus-name/path: {item}"))?;
    Ok((&item[..i], &item[i..]))
}

/// The item's menu object, from its `Menu` property.
async fn menu_path(c: &Connection, dest: &str, path: &str) -> Result<OwnedObjectPath> {
    let reply = c
        .call_method(
            Some(dest),
            path,
            Some("org.freedesktop.DBus.Properties"),
            "Get",
            &("org.kde.StatusNotifierItem", "Menu"),
        )
        .await?;
    let v: OwnedValue = reply.body().deserialize()?;
    Ok(OwnedObjectPath::try_from(v)?)
}

/// A dbusmenu layout node `(ia{sv}av)`, flattened: every entry with a label.
fn walk(node: &Value<'_>, out: &mut Vec<Json>) -> Result<()> {
    let node = match node {
        Value::Value(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(s) = node else {
        bail!("not a layout node: {node:?}");
    };
    let f = s.fields();
    let (Some(Value::I32(id)), Some(Value::Dict(props)), Some(Value::Array(children))) =
        (f.first(), f.get(1), f.get(2))
    else {
        bail!("unexpected layout node: {node:?}");
    };
    let label: Option<String> = props.get::<&str, String>(&"label").ok().flatten();
    if let Some(label) = label {
        let enabled: bool = props
            .get::<&str, bool>(&"enabled")
            .ok()
            .flatten()
            .unwrap_or(true);
        let visible: bool = props
            .get::<&str, bool>(&"visible")
            .ok()
            .flatten()
            .unwrap_or(true);
        out.push(json!({"id": id, "label": label.replace('_', ""), "enabled": enabled, "visible": visible}));
    }
    for c in children.iter() {
        walk(c, out)?;
    }
    Ok(())
}

async fn menu(c: &Connection, item: &str) -> Result<(String, OwnedObjectPath, Vec<Json>)> {
    let (dest, path) = split_item(item)?;
    let menu = menu_path(c, dest, path).await?;
    let reply = c
        .call_method(
            Some(dest),
            menu.as_str(),
            Some("com.canonical.dbusmenu"),
            "GetLayout",
            &(0i32, -1i32, Vec::<String>::new()),
        )
        .await?;
    let body = reply.body();
    type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);
    let (_revision, (_root, _props, children)): (u32, Node) = body.deserialize()?;
    let mut out = Vec::new();
    for c in &children {
        walk(c, &mut out)?;
    }
    Ok((dest.to_string(), menu, out))
}

async fn click(c: &Connection, item: &str, label: &str) -> Result<()> {
    let (dest, menu_path, entries) = menu(c, item).await?;
    let id = entries
        .iter()
        .find(|e| e["label"] == label)
        .and_then(|e| e["id"].as_i64())
        .ok_or_else(|| anyhow!("no menu entry {label:?} in {entries:?}"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as u32;
    c.call_method(
        Some(dest.as_str()),
        menu_path.as_str(),
        Some("com.canonical.dbusmenu"),
        "Event",
        &(id as i32, "clicked", Value::I32(0), now),
    )
    .await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve", log] => serve(log).await,
        ["menu", item] => {
            let c = Connection::session().await?;
            let (_, _, entries) = menu(&c, item).await?;
            println!("{}", Json::Array(entries));
            Ok(())
        }
        ["click", item, label] => {
            let c = Connection::session().await?;
            click(&c, item, label).await
        }
        _ => bail!("usage: ulak-desktop-bus serve LOG | menu ITEM | click ITEM LABEL"),
    }
}
