//! Transparency-check annotator: inserts `#[::fndefer::with_defer]` before
//! every function with a body, and a harmless `::fndefer::defer!(..)` as the
//! first statement of that body, without changing any line number.
//!
//! ```text
//! fndefer-transparency-annotate [--attr-only] [--ret] [--dry-run] [--exclude FILE] [--extern-crate] CRATE_DIR [SUBDIR..]
//! ```
//!
//! SUBDIR defaults to `src tests examples`. Prints one line per file and a
//! final `TOTAL annotated=N ...` line; the exit status is non-zero only when a
//! file cannot be read or written (a file syn cannot parse is reported and
//! left alone).

use proc_macro2::LineColumn;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Block, ImplItemFn, ItemFn, ReturnType, Signature, TraitItemFn, Type, Visibility};

const ATTR: &str = "#[::fndefer::with_defer] ";
/// `defer!(|| expr)`: the closure body runs at exit and nothing is
/// evaluated now; an empty block names no local, so nothing is adopted, and
/// `()` is what a deferred closure must end in. No lint of fndefer applies
/// (no loop, no call chain, no recover, no exit, no time).
const DEFER: &str = "::fndefer::defer!(|| {});";
/// `--ret`: reads the result slot without changing it.
const DEFER_RET: &str = "::fndefer::defer!(|ret| { let _ = &ret; });";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Full,
    AttrOnly,
    Ret,
}

#[derive(Default)]
struct Counts {
    annotated: usize,
    with_ret: usize,
    skip_const: usize,
    skip_never: usize,
    skip_variadic: usize,
    skip_track_caller: usize,
    excluded: usize,
}

struct Annotator<'a> {
    mode: Mode,
    /// One per function that can take the attribute.
    candidates: Vec<Candidate<'a>>,
    counts: Counts,
}

/// A function to annotate: its lines (first attribute to closing brace) and
/// its insertions, (line, column) → text.
struct Candidate<'a> {
    first: usize,
    last: usize,
    edits: Vec<(LineColumn, &'a str)>,
    ret: bool,
}

fn is_never(ret: &ReturnType) -> bool {
    match ret {
        ReturnType::Type(_, ty) => matches!(strip_parens(ty), Type::Never(_)),
        ReturnType::Default => false,
    }
}

fn strip_parens(ty: &Type) -> &Type {
    match ty {
        Type::Paren(p) => strip_parens(&p.elem),
        Type::Group(g) => strip_parens(&g.elem),
        t => t,
    }
}

/// A return type `ret` can name: anything without `impl Trait`.
fn nameable_return(ret: &ReturnType) -> bool {
    struct FindImpl(bool);
    impl<'ast> Visit<'ast> for FindImpl {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    match ret {
        ReturnType::Default => false,
        ReturnType::Type(_, ty) => {
            let mut f = FindImpl(false);
            f.visit_type(ty);
            !f.0
        }
    }
}

impl<'a> Annotator<'a> {
    fn function(&mut self, attrs: &[Attribute], vis: Option<&Visibility>, sig: &Signature, block: &Block, item_start: LineColumn) {
        if sig.constness.is_some() {
            self.counts.skip_const += 1;
            return;
        }
        if is_never(&sig.output) {
            self.counts.skip_never += 1;
            return;
        }
        if sig.variadic.is_some() {
            self.counts.skip_variadic += 1;
            return;
        }
        // Not transparent on stable Rust (the body runs in a closure, which
        // cannot be #[track_caller]): fndefer warns `track_caller` instead,
        // for `#[cfg_attr(.., track_caller)]` too.
        let track_caller = |a: &syn::Attribute| {
            a.path().is_ident("track_caller")
                || matches!(&a.meta, syn::Meta::List(list) if list.path.is_ident("cfg_attr")
                    && list.tokens.clone().into_iter().any(|t| mentions(&t, "track_caller")))
        };
        if self.mode != Mode::AttrOnly && attrs.iter().any(track_caller) {
            self.counts.skip_track_caller += 1;
            return;
        }
        // Before the first attribute (doc comments included), so the macro
        // sees every other attribute, as when a user writes it on top.
        let at = match attrs.iter().map(|a| a.pound_token.span.start()).min_by_key(|p| (p.line, p.column)) {
            Some(p) => p,
            None => match vis {
                Some(Visibility::Inherited) | None => item_start,
                Some(v) => v.span().start(),
            },
        };
        let mut c = Candidate { first: at.line, last: block.brace_token.span.close().end().line, edits: vec![(at, ATTR)], ret: false };
        if self.mode != Mode::AttrOnly {
            let open = block.brace_token.span.open().start();
            // After the body's leading items, so that the inserted statement
            // does not put them after a statement (clippy's
            // items_after_statements would blame the check, not fndefer).
            let leading_items = block.stmts.iter().take_while(|stmt| matches!(stmt, syn::Stmt::Item(_))).count();
            let after_brace = match leading_items {
                0 => LineColumn { line: open.line, column: open.column + 1 },
                n => block.stmts[n - 1].span().end(),
            };
            c.ret = self.mode == Mode::Ret && nameable_return(&sig.output);
            c.edits.push((after_brace, if c.ret { DEFER_RET } else { DEFER }));
        }
        self.candidates.push(c);
    }
}

/// Where the item's own tokens begin once its attributes are left out: the
/// first of `pub`/`default`/`const`/`async`/`unsafe`/`extern`/`fn`.
fn sig_start(sig: &Signature) -> LineColumn {
    let mut spans = vec![sig.fn_token.span];
    if let Some(t) = &sig.constness { spans.push(t.span) }
    if let Some(t) = &sig.asyncness { spans.push(t.span) }
    if let Some(t) = &sig.unsafety { spans.push(t.span) }
    if let Some(a) = &sig.abi { spans.push(a.extern_token.span) }
    spans.iter().map(|s| s.start()).min_by_key(|p| (p.line, p.column)).unwrap()
}

impl<'ast, 'a> Visit<'ast> for Annotator<'a> {
    fn visit_item_fn(&mut self, f: &'ast ItemFn) {
        self.function(&f.attrs, Some(&f.vis), &f.sig, &f.block, sig_start(&f.sig));
        visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast ImplItemFn) {
        let start = match &f.defaultness {
            Some(d) => d.span.start(),
            None => sig_start(&f.sig),
        };
        self.function(&f.attrs, Some(&f.vis), &f.sig, &f.block, start);
        visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'ast TraitItemFn) {
        if let Some(block) = &f.default {
            self.function(&f.attrs, None, &f.sig, block, sig_start(&f.sig));
        }
        visit::visit_trait_item_fn(self, f);
    }
    // `extern { fn f(); }` has no bodies: ForeignItemFn is not visited as a fn.
}

/// What a crate root says about std.
#[derive(Debug, PartialEq)]
enum Std {
    Yes,
    /// `#![cfg_attr(.., no_std)]`: std with the features the run enables.
    ConditionalNoStd,
    /// `#![no_std]` and an `extern crate std` (maybe under a cfg).
    NoStdWithExternStd,
    /// `#![no_std]` and no `extern crate std`: fndefer's expansion needs std.
    NoStd,
}

fn std_of(file: &syn::File) -> Std {
    let mut no_std = false;
    let mut cond = false;
    for a in &file.attrs {
        if a.path().is_ident("no_std") {
            no_std = true;
        } else if a.path().is_ident("cfg_attr") {
            let toks = a.meta.require_list().map(|l| l.tokens.to_string()).unwrap_or_default();
            if toks.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "no_std") {
                cond = true;
            }
        }
    }
    let extern_std = file.items.iter().any(|i| matches!(i, syn::Item::ExternCrate(e) if e.ident == "std"));
    match (no_std, cond, extern_std) {
        (true, _, true) => Std::NoStdWithExternStd,
        (true, _, false) => Std::NoStd,
        (false, true, _) => Std::ConditionalNoStd,
        _ => Std::Yes,
    }
}

fn byte_offset(line_starts: &[usize], src: &str, at: LineColumn) -> usize {
    let start = line_starts[at.line - 1];
    let line = &src[start..];
    // proc-macro2 columns count chars, not bytes.
    match line.char_indices().nth(at.column) {
        Some((i, _)) => start + i,
        None => start + line.len(),
    }
}

/// `exclude`: lines (1-based) where the annotated crate failed to compile;
/// a line listed k times leaves out the k innermost functions around it, so
/// the rest of the crate can still be built, tested and linted.
#[cfg(test)]
fn annotate(src: &str, mode: Mode, exclude: &[usize]) -> syn::Result<(String, Counts, Std)> {
    annotate_root(src, mode, exclude, false)
}

/// `extern_crate`: also put `extern crate fndefer;` before the first item,
/// on its line (edition 2015, where `::fndefer` is a path from the crate root).
fn annotate_root(src: &str, mode: Mode, exclude: &[usize], extern_crate: bool) -> syn::Result<(String, Counts, Std)> {
    let file = syn::parse_file(src)?;
    let std = std_of(&file);
    let mut a = Annotator { mode, candidates: Vec::new(), counts: Counts::default() };
    a.visit_file(&file);
    let mut out_of = vec![false; a.candidates.len()];
    let mut lines: Vec<usize> = exclude.to_vec();
    lines.sort_unstable();
    for group in lines.chunk_by(|x, y| x == y) {
        let line = group[0];
        let mut around: Vec<usize> =
            (0..a.candidates.len()).filter(|&i| a.candidates[i].first <= line && line <= a.candidates[i].last).collect();
        around.sort_by_key(|&i| a.candidates[i].last - a.candidates[i].first);
        for &i in around.iter().take(group.len()) {
            out_of[i] = true;
        }
    }
    let mut line_starts = vec![0];
    line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
    let mut edits: Vec<(usize, &str)> = Vec::new();
    for (c, out) in a.candidates.iter().zip(&out_of) {
        if *out {
            a.counts.excluded += 1;
            continue;
        }
        a.counts.annotated += 1;
        a.counts.with_ret += usize::from(c.ret);
        edits.extend(c.edits.iter().map(|&(at, t)| (byte_offset(&line_starts, src, at), t)));
    }
    if extern_crate {
        if let Some(first) = file.items.first() {
            let at = match first {
                syn::Item::Fn(f) if !f.attrs.is_empty() => f.attrs[0].pound_token.span.start(),
                i => i.span().start(),
            };
            // before the first item's outer attributes, if any
            let at = item_attrs(first).first().map_or(at, |a| a.pound_token.span.start());
            edits.insert(0, (byte_offset(&line_starts, src, at), "extern crate fndefer; "));
        }
    }
    // Stable sort, applied back to front: two insertions at one offset keep
    // their order (an outer fn's attribute before a nested one's, which
    // cannot share an offset anyway).
    edits.sort_by_key(|e| e.0);
    let mut out = src.to_string();
    for (off, text) in edits.into_iter().rev() {
        out.insert_str(off, text);
    }
    debug_assert_eq!(out.lines().count(), src.lines().count());
    Ok((out, a.counts, std))
}

fn item_attrs(i: &syn::Item) -> &[Attribute] {
    use syn::Item::*;
    match i {
        Const(x) => &x.attrs, Enum(x) => &x.attrs, ExternCrate(x) => &x.attrs, Fn(x) => &x.attrs,
        ForeignMod(x) => &x.attrs, Impl(x) => &x.attrs, Macro(x) => &x.attrs, Mod(x) => &x.attrs,
        Static(x) => &x.attrs, Struct(x) => &x.attrs, Trait(x) => &x.attrs, TraitAlias(x) => &x.attrs,
        Type(x) => &x.attrs, Union(x) => &x.attrs, Use(x) => &x.attrs,
        _ => &[],
    }
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn main() {
    let mut mode = Mode::Full;
    let mut dry = false;
    let mut extern_crate = false;
    let mut exclude_file: Option<PathBuf> = None;
    let mut next_is_exclude = false;
    let mut pos = Vec::new();
    for a in std::env::args().skip(1) {
        if next_is_exclude {
            exclude_file = Some(PathBuf::from(a));
            next_is_exclude = false;
            continue;
        }
        match a.as_str() {
            "--exclude" => next_is_exclude = true,
            "--attr-only" => mode = Mode::AttrOnly,
            "--ret" => mode = Mode::Ret,
            "--dry-run" => dry = true,
            "--extern-crate" => extern_crate = true,
            "-h" | "--help" => {
                eprintln!("usage: fndefer-transparency-annotate [--attr-only] [--ret] [--dry-run] [--exclude FILE] [--extern-crate] CRATE_DIR [SUBDIR..]");
                return;
            }
            _ => pos.push(PathBuf::from(a)),
        }
    }
    let Some(krate) = pos.first().cloned() else {
        eprintln!("usage: fndefer-transparency-annotate [--attr-only] [--ret] [--dry-run] [--exclude FILE] [--extern-crate] CRATE_DIR [SUBDIR..]");
        std::process::exit(2);
    };
    let subdirs: Vec<PathBuf> = if pos.len() > 1 {
        pos[1..].to_vec()
    } else {
        ["src", "tests", "examples"].iter().map(PathBuf::from).collect()
    };

    // A `#![no_std]` library without `extern crate std` cannot take the
    // expansion; its files are skipped and reported. Every other root under
    // tests/ and examples/ is its own crate and checked on its own.
    let lib_std = ["src/lib.rs", "src/main.rs"]
        .iter()
        .map(|r| krate.join(r))
        .find(|p| p.exists())
        .and_then(|p| fs::read_to_string(p).ok())
        .and_then(|s| syn::parse_file(&s).ok())
        .map(|f| std_of(&f))
        .unwrap_or(Std::Yes);
    println!("crate-root std: {lib_std:?}");

    // FILE: `relative/path.rs:LINE` per line (see `annotate`)
    let mut exclude: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    if let Some(f) = &exclude_file {
        for l in fs::read_to_string(f).unwrap_or_default().lines() {
            if let Some((p, n)) = l.trim().rsplit_once(':') {
                if let Ok(n) = n.parse() {
                    exclude.entry(p.to_string()).or_default().push(n);
                }
            }
        }
    }
    let mut total = Counts::default();
    let mut files = 0;
    let mut by_file: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed = false;
    for sub in &subdirs {
        let mut list = Vec::new();
        rs_files(&krate.join(sub), &mut list);
        for path in list {
            let rel = path.strip_prefix(&krate).unwrap_or(&path).display().to_string();
            if sub.as_os_str() == "src" && lib_std == Std::NoStd && !rel.starts_with("src/bin/") {
                println!("SKIP no_std {rel}");
                continue;
            }
            let src = match fs::read_to_string(&path) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {rel}: {e}");
                    failed = true;
                    continue;
                }
            };
            let ex = exclude.get(&rel).map(Vec::as_slice).unwrap_or(&[]);
            // crate roots: src/lib.rs, src/main.rs, tests/*.rs, examples/*.rs
            let root = rel == "src/lib.rs" || rel == "src/main.rs" || rel.starts_with("src/bin/") && rel.matches('/').count() == 2
                || (rel.starts_with("tests/") || rel.starts_with("examples/")) && rel.matches('/').count() == 1;
            let (out, c, std) = match annotate_root(&src, mode, ex, extern_crate && root) {
                Ok(r) => r,
                Err(e) => {
                    let lc = e.span().start();
                    println!("SKIP unparsable {rel}:{}:{}: {e}", lc.line, lc.column + 1);
                    continue;
                }
            };
            if sub.as_os_str() != "src" && std == Std::NoStd {
                println!("SKIP no_std {rel}");
                continue;
            }
            if !matches!(std, Std::Yes) {
                println!("NOTE {rel}: {std:?}");
            }
            if c.annotated > 0 && !dry {
                if let Err(e) = fs::write(&path, out) {
                    eprintln!("error: {rel}: {e}");
                    failed = true;
                }
            }
            files += 1;
            by_file.insert(rel, c.annotated);
            total.annotated += c.annotated;
            total.with_ret += c.with_ret;
            total.skip_const += c.skip_const;
            total.skip_never += c.skip_never;
            total.skip_variadic += c.skip_variadic;
            total.skip_track_caller += c.skip_track_caller;
            total.excluded += c.excluded;
        }
    }
    for (f, n) in &by_file {
        println!("{n:6} {f}");
    }
    println!(
        "TOTAL annotated={} ret={} files={} skipped_const_fn={} skipped_never={} skipped_variadic={} skipped_track_caller={} excluded={}",
        total.annotated, total.with_ret, files, total.skip_const, total.skip_never, total.skip_variadic, total.skip_track_caller, total.excluded
    );
    if failed {
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_and_skips_what_cannot_take_it() {
        let src = "/// doc\n#[inline]\npub fn a(x: &mut [u8]) -> usize { x.len() }\nconst fn b() {}\nfn c() -> ! { loop {} }\nimpl S {\n    pub(crate) fn d(&self) {\n    }\n}\ntrait T { fn e(&self) {} fn f(&self); }\nmacro_rules! m { () => { fn g() {} } }\nextern \"C\" { fn h(); }\nfn ünï() { fn inner() {} }\n";
        let (out, c, std) = annotate(src, Mode::Full, &[]).unwrap();
        assert_eq!(std, Std::Yes);
        assert_eq!(out.lines().count(), src.lines().count());
        assert_eq!(c.annotated, 5);
        assert_eq!(c.skip_const, 1);
        assert_eq!(c.skip_never, 1);
        assert!(out.starts_with("#[::fndefer::with_defer] /// doc\n#[inline]\npub fn a(x: &mut [u8]) -> usize {::fndefer::defer!(|| {}); x.len() }\n"), "{out}");
        assert!(out.contains("    #[::fndefer::with_defer] pub(crate) fn d(&self) {::fndefer::defer!(|| {});\n"), "{out}");
        assert!(out.contains("trait T { #[::fndefer::with_defer] fn e(&self) {::fndefer::defer!(|| {});} fn f(&self); }"), "{out}");
        assert!(out.contains("macro_rules! m { () => { fn g() {} } }"), "{out}");
        assert!(out.contains("#[::fndefer::with_defer] fn ünï() {::fndefer::defer!(|| {}); #[::fndefer::with_defer] fn inner() {::fndefer::defer!(|| {});} }"), "{out}");
    }

    #[test]
    fn modes() {
        let src = "fn a() -> u8 { 1 }\nfn b() -> impl Fn() { || () }\n";
        let (out, ..) = annotate(src, Mode::AttrOnly, &[]).unwrap();
        assert_eq!(out, "#[::fndefer::with_defer] fn a() -> u8 { 1 }\n#[::fndefer::with_defer] fn b() -> impl Fn() { || () }\n");
        let (out, c, _) = annotate(src, Mode::Ret, &[]).unwrap();
        assert_eq!(c.with_ret, 1);
        assert!(out.contains("{::fndefer::defer!(|ret| { let _ = &ret; }); 1 }"), "{out}");
        assert!(out.contains("{::fndefer::defer!(|| {}); || () }"), "{out}");
    }

    #[test]
    fn exclusion_takes_innermost_first() {
        let src = "fn outer() {\n    fn inner() {\n        x();\n    }\n}\nfn other() {}\n";
        let (out, c, _) = annotate(src, Mode::Full, &[3]).unwrap();
        assert_eq!((c.annotated, c.excluded), (2, 1));
        assert!(out.contains("    fn inner() {\n"), "{out}");
        let (out, c, _) = annotate(src, Mode::Full, &[3, 3]).unwrap();
        assert_eq!((c.annotated, c.excluded), (1, 2));
        assert!(out.starts_with("fn outer() {\n"), "{out}");
    }

    #[test]
    fn extern_crate_for_2015_roots() {
        let src = "#![allow(x)]\n\n/// doc\npub fn a() {}\n";
        let (out, ..) = annotate_root(src, Mode::AttrOnly, &[], true).unwrap();
        assert_eq!(out, "#![allow(x)]\n\nextern crate fndefer; #[::fndefer::with_defer] /// doc\npub fn a() {}\n");
    }

    #[test]
    fn no_std_roots() {
        assert_eq!(std_of(&syn::parse_file("#![no_std]\nfn a() {}").unwrap()), Std::NoStd);
        assert_eq!(std_of(&syn::parse_file("#![no_std]\n#[cfg(feature = \"std\")]\nextern crate std;").unwrap()), Std::NoStdWithExternStd);
        assert_eq!(std_of(&syn::parse_file("#![cfg_attr(not(feature = \"std\"), no_std)]").unwrap()), Std::ConditionalNoStd);
    }
}

/// Whether a token tree is, or contains, the identifier `name`.
fn mentions(tree: &proc_macro2::TokenTree, name: &str) -> bool {
    match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => group.stream().into_iter().any(|t| mentions(&t, name)),
        _ => false,
    }
}
