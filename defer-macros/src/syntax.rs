//! Stateless questions about the user's syntax: which macro is a site, which
//! call is `recover()` or `process::exit`, where a lint should point, what a
//! format string captures.
//!
//! What nested code each question enters is decided here, once:
//!
//! | question                          | closures | `async {}` | items | macro input            |
//! |-----------------------------------|----------|------------|-------|------------------------|
//! | sites of the body (`analyze`)     | entered (sites there are errors) | same | no | no |
//! | names deferred code uses (`scope::FreeNames`) | entered, params bound | entered | no | [`MacroBody`] |
//! | `recover()` in deferred code (`recover`) | no (Go: not called directly), but a `defer_scope!` literal's body | no | no | [`MacroBody`], not nested sites |
//! | `recover()` in body code (lint `body_recover`) | no | no    | no    | no                     |
//! | `recover()` in a value evaluated now (`lower`) | entered | entered | no | no             |
//! | time measured now (`time_measured_at`) | no  | entered    | no    | [`MacroBody`] args     |
//! | way out of a `loop` (`can_leave`) | no       | no         | no    | token heuristic        |
//! | validity of deferred code (`site::validate`) | no | no     | no    | sites only             |
//! | uses of an adopted local (`deref`) | entered, params shadow | entered | no | [`MacroBody`] args |
//! | `return v` with named results (`named`) | no (their own `return`) | no | no | no     |
//! | a bare name's meaning (`imports`) | — the file's `use` declarations, not the body | | | |

use proc_macro2::{Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Macro, Stmt, Token};

use crate::imports::Names;
use crate::site::Kind;

/// A site written as a statement (`defer!(..);`, or a block's tail).
pub fn site_of_stmt(stmt: &Stmt, names: Names) -> Option<(Kind, &Macro)> {
    match stmt {
        Stmt::Macro(mac) => Kind::of(&mac.mac, names).map(|kind| (kind, &mac.mac)),
        Stmt::Expr(expr, _) => site_of_expr(expr, names),
        _ => None,
    }
}

/// `defer!(..)` / `errdefer!(..)` as this expression.
pub fn site_of_expr(expr: &Expr, names: Names) -> Option<(Kind, &Macro)> {
    match expr {
        Expr::Macro(mac) => Kind::of(&mac.mac, names).map(|kind| (kind, &mac.mac)),
        _ => None,
    }
}

/// How a macro's input reads as syntax, classified once for every question
/// that looks inside macros: comma-separated expressions (`println!`,
/// `vec!`, `assert!`), else statements, else only tokens.
pub enum MacroBody {
    Args(Punctuated<Expr, Token![,]>),
    Stmts(Vec<Stmt>),
    Tokens,
}

impl MacroBody {
    pub fn of(mac: &Macro) -> MacroBody {
        if let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            return MacroBody::Args(args);
        }
        match mac.parse_body_with(syn::Block::parse_within) {
            Ok(stmts) => MacroBody::Stmts(stmts),
            Err(_) => MacroBody::Tokens,
        }
    }
}

/// `path` is exactly these segments (`["fndefer", "recover"]`).
pub fn path_is(path: &syn::Path, segments: &[&str]) -> bool {
    path.segments.len() == segments.len()
        && path
            .segments
            .iter()
            .zip(segments)
            .all(|(segment, name)| segment.ident == name && segment.arguments.is_none())
}

/// `recover()` (when it is fndefer's in this file) / `fndefer::recover()`.
pub fn is_recover_call(expr: &Expr, names: Names) -> bool {
    let Expr::Call(call) = expr else { return false };
    if !call.args.is_empty() {
        return false;
    }
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    (names.recover && path_is(&path.path, &["recover"]))
        || path_is(&path.path, &["fndefer", "recover"])
}

/// `std::process::exit(..)` / `process::exit(..)`, and a bare `exit(..)`
/// when `bare_is_std` (the file has no other `exit`: see `imports`).
pub fn is_process_exit(call: &syn::ExprCall, bare_is_std: bool) -> bool {
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    let segments = &path.path.segments;
    match segments.len() {
        0 => false,
        1 => bare_is_std && path.qself.is_none() && segments[0].ident == "exit",
        len => segments[len - 1].ident == "exit" && segments[len - 2].ident == "process",
    }
}

/// Whether `name` names a macro from std's formatting family, whose
/// arguments fndefer evaluates at the defer point.
pub fn is_format_macro(name: &str) -> bool {
    matches!(
        name,
        "println" | "print" | "eprintln" | "eprint" | "format" | "panic" | "write" | "writeln"
    )
}

/// The name of the macro a path invokes (its last segment).
pub fn macro_name(mac: &Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default()
}

/// Where a place expression (`x`, `x.field`, `(*x).y`) is rooted, if it is a
/// plain variable.
pub fn place_root(expr: &Expr) -> Option<&syn::Ident> {
    match expr {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
        Expr::Field(field) => place_root(&field.base),
        Expr::Paren(paren) => place_root(&paren.expr),
        Expr::Group(group) => place_root(&group.expr),
        Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => place_root(&unary.expr),
        _ => None,
    }
}

/// Whether a place expression is rooted at a path to an item (a `static`):
/// `CONFIG.x`, `crate::LOG`.
pub fn is_item_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(path) => path.qself.is_none() && path.path.segments.len() > 1,
        Expr::Field(field) => is_item_place(&field.base),
        Expr::Paren(paren) => is_item_place(&paren.expr),
        Expr::Group(group) => is_item_place(&group.expr),
        _ => false,
    }
}

/// A path naming a number type, `bool` or `char` (what is `Copy` and has
/// no failure case, as written).
pub fn is_primitive(path: &syn::Path) -> bool {
    path.get_ident().is_some_and(|ident| {
        matches!(
            ident.to_string().as_str(),
            "i8" | "i16"
                | "i32"
                | "i64"
                | "i128"
                | "isize"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "u128"
                | "usize"
                | "f32"
                | "f64"
                | "bool"
                | "char"
        )
    })
}

/// `-> ()`, or no return type.
pub fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// `x: &mut T`, or a type that is `&mut T`.
pub fn is_mut_ref_type(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Reference(reference) if reference.mutability.is_some())
}

/// `x.elapsed()`, `Instant::now()`, `SystemTime::now()`: a time measured now.
/// Returns the span of the `elapsed` / `now` that measures.
pub fn time_measured_at(expr: &Expr) -> Option<Span> {
    struct TimeMeasurement(Option<Span>);
    impl<'ast> Visit<'ast> for TimeMeasurement {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "elapsed" && self.0.is_none() {
                self.0 = Some(call.method.span());
            }
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let Expr::Path(path) = &*call.func {
                let segments = &path.path.segments;
                let len = segments.len();
                if len >= 2
                    && segments[len - 1].ident == "now"
                    && (segments[len - 2].ident == "Instant"
                        || segments[len - 2].ident == "SystemTime")
                    && self.0.is_none()
                {
                    self.0 = Some(segments[len - 1].ident.span());
                }
            }
            syn::visit::visit_expr_call(self, call);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        // `format!("{:?}", start.elapsed())`: the arguments of a format macro.
        fn visit_macro(&mut self, mac: &'ast Macro) {
            if let MacroBody::Args(args) = MacroBody::of(mac) {
                for arg in &args {
                    self.visit_expr(arg);
                }
            }
        }
    }
    let mut find = TimeMeasurement(None);
    find.visit_expr(expr);
    find.0
}

/// Where a lint on a call should point: the called name (`acquire` in
/// `lock.acquire()`, `exit` in `std::process::exit`), not the first token
/// of the expression, which is all a stable `Span` of it covers.
pub fn called_now_at(expr: &Expr) -> Span {
    match expr {
        Expr::MethodCall(call) => call.method.span(),
        Expr::Call(call) => last_segment_at(&call.func),
        Expr::Macro(mac) => last_ident_at(&mac.mac.path).unwrap_or_else(|| expr.span()),
        _ => expr.span(),
    }
}

/// The last segment of a path expression (else the expression's span).
pub fn last_segment_at(expr: &Expr) -> Span {
    match expr {
        Expr::Path(path) => last_ident_at(&path.path).unwrap_or_else(|| expr.span()),
        _ => expr.span(),
    }
}

fn last_ident_at(path: &syn::Path) -> Option<Span> {
    path.segments.last().map(|last| last.ident.span())
}

/// Whether a `loop` body has a way out other than a panic: a `return`, a
/// `?`, a `break` not aimed at an inner loop, or a macro that might expand to
/// one of those.
pub fn can_leave(body: &syn::Block, names: Names) -> bool {
    struct LoopExit {
        names: Names,
        found: bool,
        inner_loops: usize,
    }
    impl<'ast> Visit<'ast> for LoopExit {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            match expr {
                Expr::Return(_) | Expr::Try(_) => self.found = true,
                Expr::Break(brk) if brk.label.is_some() || self.inner_loops == 0 => {
                    self.found = true;
                }
                Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) => {
                    self.inner_loops += 1;
                    syn::visit::visit_expr(self, expr);
                    self.inner_loops -= 1;
                }
                Expr::Closure(_) | Expr::Async(_) => {}
                _ => syn::visit::visit_expr(self, expr),
            }
        }
        fn visit_macro(&mut self, mac: &'ast Macro) {
            let name = macro_name(mac);
            let is_std_output = is_format_macro(&name) && name != "panic";
            if !is_std_output
                && (names_exit(mac.tokens.clone()) || Kind::of(mac, self.names).is_none())
            {
                // An unknown macro (`bail!`, `select!`) may leave the loop.
                self.found = true;
            }
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut find = LoopExit {
        names,
        found: false,
        inner_loops: 0,
    };
    find.visit_block(body);
    find.found
}

/// Whether macro input names `return`, `break` or `?` anywhere.
fn names_exit(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == "return" || ident == "break",
        proc_macro2::TokenTree::Punct(punct) => punct.as_char() == '?',
        proc_macro2::TokenTree::Group(group) => names_exit(group.stream()),
        proc_macro2::TokenTree::Literal(literal) => literal.to_string().contains('?'),
    })
}

/// The names a format string captures implicitly: `{name}`, `{name:?}`,
/// `{:width$}`, `{:.prec$}`.
pub fn format_captures(format: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '{' {
            continue;
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            continue;
        }
        let mut spec = String::new();
        for c in chars.by_ref() {
            if c == '}' {
                break;
            }
            spec.push(c);
        }
        let (argument, format_spec) = spec.split_once(':').unwrap_or((spec.as_str(), ""));
        let argument = argument.trim();
        if is_identifier(argument) {
            names.push(argument.to_owned());
        }
        // `width$` and `.precision$` may name variables too.
        for piece in format_spec
            .split('$')
            .take(format_spec.matches('$').count())
        {
            let start = piece
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(0, |at| at + 1);
            let name = &piece[start..];
            if is_identifier(name) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first == '_' || first.is_alphabetic() => {
            text != "_" && chars.all(|c| c == '_' || c.is_alphanumeric())
        }
        _ => false,
    }
}

/// Every name a statement mentions, macro input and format-string captures
/// included: one token scan per statement, for pre-adoption's look-ahead.
pub fn mentioned_names(tokens: TokenStream, names: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => names.push(ident.to_string()),
            proc_macro2::TokenTree::Group(group) => mentioned_names(group.stream(), names),
            proc_macro2::TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if text.contains('{') {
                    names.extend(format_captures(&text));
                }
            }
            proc_macro2::TokenTree::Punct(_) => {}
        }
    }
}

/// Source-like text of `tokens` for a message: `file.close`, not `file . close`.
pub fn source_text(tokens: &impl quote::ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    text.replace(" . ", ".")
        .replace(" :: ", "::")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_captures_finds_inline_names() {
        assert_eq!(
            format_captures("{a} {{b}} {} {0} {c:?} {:w$} {:.p$} {d:>width$}"),
            ["a", "c", "w", "p", "d", "width"]
        );
    }

    #[test]
    fn recover_and_exit_calls() {
        assert!(is_recover_call(
            &syn::parse_quote!(recover()),
            Names::FNDEFER
        ));
        assert!(is_recover_call(
            &syn::parse_quote!(fndefer::recover()),
            Names::FNDEFER
        ));
        assert!(!is_recover_call(
            &syn::parse_quote!(other::recover()),
            Names::FNDEFER
        ));
        assert!(!is_recover_call(
            &syn::parse_quote!(recover(x)),
            Names::FNDEFER
        ));
        let exit: syn::ExprCall = syn::parse_quote!(std::process::exit(1));
        assert!(is_process_exit(&exit, false));
        let other: syn::ExprCall = syn::parse_quote!(app::exit(1));
        assert!(!is_process_exit(&other, true));
        let bare: syn::ExprCall = syn::parse_quote!(exit(1));
        assert!(is_process_exit(&bare, true));
        assert!(!is_process_exit(&bare, false));
    }

    #[test]
    fn loops_with_and_without_a_way_out() {
        assert!(!can_leave(
            &syn::parse_quote!({
                work();
            }),
            Names::FNDEFER
        ));
        assert!(can_leave(
            &syn::parse_quote!({
                if done() {
                    break;
                }
            }),
            Names::FNDEFER
        ));
        assert!(!can_leave(
            &syn::parse_quote!({
                for x in y {
                    break;
                }
            }),
            Names::FNDEFER
        ));
        assert!(can_leave(
            &syn::parse_quote!({
                bail!("x");
            }),
            Names::FNDEFER
        ));
        assert!(!can_leave(
            &syn::parse_quote!({
                println!("x");
            }),
            Names::FNDEFER
        ));
    }
}
