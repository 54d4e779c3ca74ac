//! The edition of the crate being compiled, read from its manifest: a
//! closure captures by the rules of its `||`'s edition, and the body
//! closure's `||` may carry the user's span (so clippy lints the body as
//! the user's code) only where those rules are edition 2021's, the ones the
//! expansion needs (an edition-2015 `deref_mut` returning `&mut *self.value`
//! fails with whole-variable capture).
//!
//! A proc macro cannot ask rustc for the edition, so this reads
//! `$CARGO_MANIFEST_DIR/Cargo.toml` (and, for `edition.workspace = true`,
//! the workspace's manifest above it) once per manifest. Anything it cannot
//! read or understand counts as an older edition: the `||` then keeps the
//! macro's span, as before.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::file_cache::{PathCache, once_per_path};

/// Whether the crate being compiled is edition 2021 or later.
pub fn captures_disjoint_fields() -> bool {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return false;
    };
    static CACHE: PathCache<bool> = Mutex::new(None);
    once_per_path(&CACHE, dir, |dir| {
        edition_of(dir).is_some_and(|year| year >= 2021)
    })
}

fn edition_of(dir: &Path) -> Option<u32> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    match section_value(&manifest, "package", "edition")? {
        Value::Year(year) => Some(year),
        Value::FromWorkspace => dir.ancestors().skip(1).find_map(|parent| {
            let manifest = std::fs::read_to_string(parent.join("Cargo.toml")).ok()?;
            match section_value(&manifest, "workspace.package", "edition")? {
                Value::Year(year) => Some(year),
                Value::FromWorkspace => None,
            }
        }),
    }
}

enum Value {
    Year(u32),
    FromWorkspace,
}

/// `key = "2021"`, `key.workspace = true` or `key = { workspace = true }`
/// in the `[section]` of a manifest (a line-based reading of TOML, enough for
/// the `edition` key as people write it).
fn section_value(manifest: &str, section: &str, key: &str) -> Option<Value> {
    let mut in_section = false;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(header) = line.strip_prefix('[') {
            in_section = header.trim_end_matches(']').trim() == section;
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        let value = value.trim();
        if name == format!("{key}.workspace") || (name == key && value.contains("workspace")) {
            return Some(Value::FromWorkspace);
        }
        if name == key {
            return value
                .trim_matches(['"', '\''])
                .parse()
                .ok()
                .map(Value::Year);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(manifest: &str) -> Option<u32> {
        match section_value(manifest, "package", "edition")? {
            Value::Year(year) => Some(year),
            Value::FromWorkspace => Some(0),
        }
    }

    #[test]
    fn reads_the_package_edition() {
        assert_eq!(
            year("[package]\nname = \"a\"\nedition = \"2021\"\n"),
            Some(2021)
        );
        assert_eq!(year("[package]\nedition=\"2015\" # old\n"), Some(2015));
        assert_eq!(
            year("[package]\nname = \"a\"\n[dependencies]\nedition = \"2024\"\n"),
            None
        );
        assert_eq!(year("[package]\nedition.workspace = true\n"), Some(0));
        assert_eq!(year("[package]\nedition = { workspace = true }\n"), Some(0));
        assert_eq!(
            match section_value(
                "[workspace.package]\nedition = \"2024\"\n",
                "workspace.package",
                "edition"
            ) {
                Some(Value::Year(y)) => y,
                _ => 0,
            },
            2024
        );
    }
}
