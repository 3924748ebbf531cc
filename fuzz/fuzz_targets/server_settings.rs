//! Any text into the settings validator: an accepted host never holds a space or a line
//! break, an accepted port is 1–65535, and no encryption is only ever for loopback.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ulak_channels::email::server::{self, Security, ServerParams};

fuzz_target!(|input: (&str, i64, u8, &str)| {
    let (host, port, mode, user) = input;
    let security = match mode % 3 {
        0 => Security::Starttls,
        1 => Security::Tls,
        _ => Security::None,
    };
    if let Ok(p) = ServerParams::validated(host, port, security, user) {
        assert!(!p.host.contains(char::is_whitespace) && !p.host.contains(char::is_control));
        assert!(p.port >= 1);
        assert!(!p.username.contains(['\r', '\n']));
        if p.security == Security::None {
            assert!(server::is_loopback(&p.host));
        }
    }
});
