//! Embeds the data files, so adding a provider or a preset is a data change: drop a file.
//! - `providers/<id>.toml`: the built-in table of mail providers (autoconfig presets).
//! - `specs/<channel>/<provider>.toml`: what each sending provider asks of the user.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn tomls(dir: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    found.sort();
    for p in &found {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    found
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

fn main() {
    // Read when the script runs: a cached build script may come from another checkout.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut out = String::from("pub(crate) const PROVIDER_FILES: &[(&str, &str)] = &[\n");
    for p in tomls(&root.join("providers")) {
        writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            stem(&p),
            p.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    out.push_str("pub(crate) const SPEC_FILES: &[(&str, &str, &str)] = &[\n");
    let specs = root.join("specs");
    println!("cargo:rerun-if-changed={}", specs.display());
    let mut channels: Vec<_> = std::fs::read_dir(&specs)
        .expect("specs/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    channels.sort();
    for dir in channels {
        for p in tomls(&dir) {
            writeln!(
                out,
                "    ({:?}, {:?}, include_str!({:?})),",
                stem(&dir),
                stem(&p),
                p.display().to_string()
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("providers.rs");
    std::fs::write(dest, out).unwrap();
}
