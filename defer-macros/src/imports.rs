//! Which `defer`, `errdefer` and `recover` are fndefer's. A proc macro cannot
//! ask rustc what a name resolves to, so this reads the `use` declarations and
//! definitions of the file the function is in: a bare `defer!` is fndefer's
//! unless the file imports or defines another `defer` (scopeguard's, a local
//! `macro_rules!`) and does not import fndefer's; likewise `errdefer!` and a
//! bare `recover()` (a user's `fn recover`). `fndefer::` paths always are.
//! The same reading says whether a bare `exit(..)` is `std::process::exit`
//! (for the warning that it skips the deferred calls): unless the file
//! defines or imports another `exit` and imports none from `process`.
//!
//! The file is read once per compilation (cached by path). When the file
//! cannot be read (code made by another macro), every name is fndefer's.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::file_cache::{PathCache, once_per_path};

/// Whether each bare name is fndefer's in the function's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    pub defer: bool,
    pub errdefer: bool,
    pub recover: bool,
    /// A bare `exit` is `std::process::exit`.
    pub exit: bool,
}

impl Names {
    pub const FNDEFER: Names = Names {
        defer: true,
        errdefer: true,
        recover: true,
        exit: true,
    };

    /// The names as the file at `path` imports them.
    pub fn of_file(path: Option<PathBuf>) -> Names {
        let Some(path) = path else {
            return Names::FNDEFER;
        };
        static CACHE: PathCache<Names> = Mutex::new(None);
        once_per_path(&CACHE, path, |path| {
            read(path).map_or(Names::FNDEFER, |source| Names::of_source(&source))
        })
    }

    pub fn of_source(source: &str) -> Names {
        let mut found = Found::default();
        for statement in use_statements(source) {
            if let Ok(item) = syn::parse_str::<syn::ItemUse>(&statement) {
                found.use_tree(&item.tree, &mut Vec::new());
            }
        }
        found.definitions(source);
        Names {
            defer: found.decide("defer"),
            errdefer: found.decide("errdefer"),
            recover: found.decide("recover"),
            exit: found.exit_from_process || !found.is_elsewhere("exit"),
        }
    }
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// For each name: imported from fndefer, and imported or defined otherwise.
#[derive(Default)]
struct Found {
    from_fndefer: Vec<String>,
    glob_fndefer: bool,
    elsewhere: Vec<String>,
    /// `use std::process::exit` (or `process::{exit, ..}`).
    exit_from_process: bool,
}

impl Found {
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        let from_fndefer =
            |prefix: &[String]| prefix.first().is_some_and(|first| first == "fndefer");
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(&path.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                if name.ident == "exit" && prefix.last().is_some_and(|last| last == "process") {
                    self.exit_from_process = true;
                }
                self.import(name.ident.to_string(), from_fndefer(prefix));
            }
            syn::UseTree::Rename(rename) => {
                self.import(rename.rename.to_string(), from_fndefer(prefix));
            }
            syn::UseTree::Glob(_) => {
                if from_fndefer(prefix) {
                    self.glob_fndefer = true;
                }
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, prefix);
                }
            }
        }
    }

    fn import(&mut self, name: String, from_fndefer: bool) {
        if from_fndefer {
            self.from_fndefer.push(name);
        } else {
            self.elsewhere.push(name);
        }
    }

    /// `macro_rules! defer`, `fn recover`, and `#[macro_use] extern crate`
    /// of another crate (scopeguard's `defer!` comes that way).
    fn definitions(&mut self, source: &str) {
        for name in ["defer", "errdefer", "recover", "exit"] {
            let defined = ["macro_rules!", "fn"]
                .iter()
                .any(|keyword| followed_by(source, keyword, name));
            if defined {
                self.elsewhere.push(name.to_owned());
            }
        }
        let other_crate = source.match_indices("extern crate").any(|(at, _)| {
            let rest = source[at + "extern crate".len()..].trim_start();
            !rest.starts_with("fndefer")
        });
        if other_crate && source.contains("#[macro_use") {
            self.elsewhere.push("defer".to_owned());
        }
    }

    fn decide(&self, name: &str) -> bool {
        self.glob_fndefer
            || self.from_fndefer.iter().any(|found| found == name)
            || !self.is_elsewhere(name)
    }

    /// `name` is imported from another crate or defined in the file.
    fn is_elsewhere(&self, name: &str) -> bool {
        self.elsewhere.iter().any(|found| found == name)
    }
}

/// Whether `keyword` (a whole word) is followed by the word `name` in `source`.
fn followed_by(source: &str, keyword: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    source.match_indices(keyword).any(|(at, _)| {
        let starts_word = source[..at].chars().next_back().is_none_or(|c| !is_word(c));
        let rest = &source[at + keyword.len()..];
        let gap = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        starts_word
            && (gap > 0 || keyword.ends_with('!'))
            && rest.starts_with(name)
            && rest[name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_word(c))
    })
}

/// The text of every `use ..;` declaration that names `defer`, `errdefer`,
/// `recover`, `exit` or a glob.
fn use_statements(source: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let bytes = source.as_bytes();
    let mut at = 0;
    while let Some(found) = source[at..].find("use ") {
        let start = at + found;
        at = start + 4;
        // A declaration starts its line (after `pub`, `pub(crate)` ..): the
        // word `use` in a comment or a string is no import.
        let line_start = source[..start].rfind('\n').map_or(0, |at| at + 1);
        let before = source[line_start..start].trim();
        let declaration = before.is_empty() || before.starts_with("pub");
        if !declaration
            || bytes
                .get(start.wrapping_sub(1))
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            continue;
        }
        let Some(end) = source[start..].find(';') else {
            break;
        };
        let statement = &source[start..=start + end];
        let relevant = ["defer", "recover", "exit", "*"]
            .iter()
            .any(|name| statement.contains(name));
        // Nothing a `use` tree holds makes rustc's lexer complain: no quote.
        let lexes = !statement.contains('\'') && !statement.contains('"');
        if relevant && lexes && statement.len() < 2000 {
            let without_comments: String = statement
                .lines()
                .map(|line| line.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            statements.push(without_comments);
        }
        at = start + end + 1;
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fndefer_names_unless_another_is_imported_or_defined() {
        assert_eq!(
            Names::of_source("use fndefer::{defer, with_defer};"),
            Names::FNDEFER
        );
        assert_eq!(Names::of_source("fn main() {}"), Names::FNDEFER);
        let scopeguard = Names::of_source("use fndefer::with_defer;\nuse scopeguard::defer;");
        assert!(!scopeguard.defer && scopeguard.errdefer && scopeguard.recover);
        let own = Names::of_source("fn recover() -> Option<u8> { None }");
        assert!(own.defer && !own.recover);
        let glob = Names::of_source("use fndefer::*;\nfn recover() {}");
        assert_eq!(glob, Names::FNDEFER);
        let macro_use = Names::of_source("#[macro_use(defer)]\nextern crate scopeguard;");
        assert!(!macro_use.defer);
        let local = Names::of_source("macro_rules! defer { () => {} }");
        assert!(!local.defer);
        let both = Names::of_source("use fndefer::defer;\nmod other { use scopeguard::defer; }");
        assert!(both.defer);
        // `use` in a comment is no import (and `e's` must not reach the lexer).
        let prose = Names::of_source("// It will use e's defer functions;\nfn f() {}");
        assert_eq!(prose, Names::FNDEFER);
    }

    #[test]
    fn a_bare_exit_is_process_exit_unless_the_file_has_another() {
        assert!(Names::of_source("fn main() {}").exit);
        assert!(Names::of_source("use std::process::exit;").exit);
        assert!(Names::of_source("use std::process::{self, exit};").exit);
        assert!(!Names::of_source("fn exit(code: i32) -> i32 { code }").exit);
        assert!(!Names::of_source("use crate::vm::exit;").exit);
        // Both: rustc picks by scope, which a file's text cannot tell.
        assert!(Names::of_source("use std::process::exit;\nmod vm { pub fn exit() {} }").exit);
    }
}
