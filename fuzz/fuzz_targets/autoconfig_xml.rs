//! Any bytes into the autoconfig parser: it must return, never panic or hang, and
//! whatever it accepts must be servers that pass the settings checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ulak_channels::email::autoconfig::xml;
use ulak_channels::email::server::ServerParams;

fuzz_target!(|data: &[u8]| {
    if let Ok(cfg) = xml::parse(data) {
        assert!(!cfg.servers.is_empty());
        for s in cfg.servers {
            ServerParams::validated(&s.host, s.port.into(), s.security, &s.username).expect("accepted servers are valid");
        }
    }
});
