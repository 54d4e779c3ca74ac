//! Every error message of the macros, once: each names what to write instead.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Macro;

use crate::site::Kind;
use crate::syntax::source_text;

/// What kind of nested code a site was found in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Nested {
    Closure,
    AsyncBlock,
}

/// `defer!` inside a closure or async block of the body.
pub fn nested_site(kind: Kind, nested: Nested, path: &syn::Path) -> syn::Error {
    let name = kind.name();
    let (what, noun, own_scope) = match nested {
        Nested::Closure => (
            "a closure",
            "closure",
            format!("with `defer_scope!(|| {{ {name}!(..); .. }})`"),
        ),
        Nested::AsyncBlock => (
            "an async block",
            "async block",
            "by moving its code into a `#[with_defer] async fn`".to_owned(),
        ),
    };
    syn::Error::new_spanned(
        path,
        format!(
            "`{name}!` inside {what} of a `#[with_defer]` function would run when the \
             function returns, not when the {noun} does; give the {noun} its own defer \
             scope {own_scope}, or move the `{name}!` out of it"
        ),
    )
}

/// A site used as a value (`defer!(f.sync())?`, `defer!(..) + x`).
/// `tried`: the value was given to `?`.
pub fn site_as_value(kind: Kind, mac: &Macro, tried: bool) -> syn::Error {
    let name = kind.name();
    let call = match syn::parse2::<syn::Expr>(mac.tokens.clone()) {
        Ok(call @ (syn::Expr::Call(_) | syn::Expr::MethodCall(_))) => Some(source_text(&call)),
        _ => None,
    };
    let statement = match (&call, &mac.delimiter) {
        (Some(call), _) => format!("`{name}!({call});`"),
        (None, syn::MacroDelimiter::Brace(_)) => format!("`{name}! {{ .. }}`"),
        (None, _) => format!("`{name}!(..);`"),
    };
    let mut message = format!(
        "`{name}!` registers code to run when the function returns and has no value: \
         write it as a statement, {statement}"
    );
    if tried {
        let call = call.as_deref().unwrap_or("f()");
        message.push_str(&format!(
            "; to handle the deferred call's error, do it in the deferred code: \
             `{name}!(|| if let Err(e) = {call} {{ .. }})`, or change the function's \
             result with `{name}!(|ret| ..)`"
        ));
    }
    syn::Error::new_spanned(&mac.path, message)
}

/// `recover()` inside a value a site evaluates at the defer point.
pub fn recover_outside(expr: &syn::Expr) -> syn::Error {
    syn::Error::new_spanned(
        expr,
        "`recover()` only stops a panic when it is written in deferred code: \
         move it into `defer!(|| if let Some(p) = recover() { .. })`",
    )
}

/// `errdefer!` in a function whose written result has no failure case.
pub fn errdefer_needs_fallible(path: &syn::Path, returns: &str) -> syn::Error {
    syn::Error::new_spanned(
        path,
        format!(
            "`errdefer!` needs a function returning `Result` or `Option`; this function \
             returns `{returns}`: use `defer!`"
        ),
    )
}

/// `defer!(x?)` / `?` inside deferred code.
pub fn question_mark_in_site(kind: Kind, tried: &syn::Expr, token: &syn::Token![?]) -> syn::Error {
    let name = kind.name();
    syn::Error::new_spanned(
        token,
        format!(
            "`?` cannot leave deferred code: the function is already returning; \
             handle the error at exit: `{name}!(|| if let Err(e) = {} {{ .. }})`, or \
             change the result with `{name}!(|ret| ..)`",
            source_text(tried)
        ),
    )
}

pub fn question_mark_in_deferred_code(token: &syn::Token![?]) -> syn::Error {
    syn::Error::new_spanned(
        token,
        "`?` cannot leave deferred code: the function is already returning; \
         handle the error here (`if let Err(e) = .. { .. }`), or change the \
         result with `defer!(|ret| ..)`",
    )
}

pub fn await_in_deferred_code(wait: &syn::ExprAwait) -> syn::Error {
    syn::Error::new_spanned(
        wait,
        "deferred code cannot `.await`: it runs synchronously when the function \
         returns (Rust has no async drop); spawn the work or do it before returning",
    )
}

pub fn return_value_in_deferred_code(ret: &syn::ExprReturn) -> syn::Error {
    syn::Error::new_spanned(
        ret,
        "deferred code cannot return a value: `return;` ends the deferred call; \
         to change the function's result use `defer!(|ret| *ret = Some(..))`",
    )
}

pub fn leaves_deferred_code(keyword: &str, token: Span) -> syn::Error {
    syn::Error::new(
        token,
        format!(
            "`{keyword}` cannot leave deferred code: it runs when the function \
             returns, after the loop has ended; use `return;` to end the deferred call"
        ),
    )
}

pub fn site_in_deferred_code(kind: Kind, path: &syn::Path) -> syn::Error {
    let name = kind.name();
    syn::Error::new_spanned(
        path,
        format!(
            "`{name}!` inside deferred code has no function to attach to; \
             call a `#[with_defer]` function from the deferred code, or use \
             `defer_scope!(|| {{ {name}!(..); .. }})()`"
        ),
    )
}

/// `write!` / `writeln!` with nothing to write to.
pub fn write_needs_destination(mac: &Macro, name: &str) -> syn::Error {
    syn::Error::new_spanned(
        mac,
        format!("`{name}!` needs a destination: `{name}!(out, \"..\")`"),
    )
}

/// `defer!` reached without a `#[with_defer]` around it.
pub fn outside_with_defer(name: &str) -> syn::Error {
    syn::Error::new(
        Span::call_site(),
        format!(
            "`{name}!` works only directly in the body of a `#[with_defer]` function: add \
             `#[with_defer]` to the enclosing function, or give a closure its own defer scope \
             with `defer_scope!(|| {{ .. }})` (a `{name}!` inside another macro's input is \
             not seen by `#[with_defer]`)"
        ),
    )
}

/// The tokens the user's `defer!` / `errdefer!` path expands to when
/// `#[with_defer]` has already dealt with the site: nothing. Invoking the
/// user's path once more keeps their `use fndefer::defer;` used.
pub const USED_SENTINEL: &str = "__fndefer_used";

/// `defer! { __fndefer_used }` at the user's path.
pub fn keep_import_used(path: &syn::Path) -> TokenStream {
    let sentinel = syn::Ident::new(USED_SENTINEL, Span::call_site());
    quote!(#path! { #sentinel })
}

/// A site's error, with the user's import kept used (so no "unused import"
/// shows under the error).
pub fn error_keeping_import_used(error: &syn::Error, path: &syn::Path) -> TokenStream {
    let error = error.to_compile_error();
    let used = keep_import_used(path);
    quote!(#error #used)
}

/// The line of the user's source a span starts on (0 outside a macro
/// expansion, in the crate's unit tests).
pub fn line_of(span: Span) -> usize {
    if proc_macro::is_available() {
        span.unwrap().line()
    } else {
        0
    }
}

/// The body assigns to, or borrows `&mut`, a local lent back as `&`.
pub fn mutates_lent_immutably(
    target: &syn::Expr,
    name: &syn::Ident,
    decl: &syn::Ident,
    lent_from: Span,
    assigns: bool,
) -> syn::Error {
    let what = if assigns {
        format!("assign to `{name}`")
    } else {
        format!("borrow `{name}` as mutable")
    };
    syn::Error::new_spanned(
        target,
        format!(
            "cannot {what}: it is not declared `mut`, so the `defer!` that adopted it \
             lends it back to the body as `&{name}` from line {} on; declare it \
             `let mut {name}` (line {})",
            line_of(lent_from),
            line_of(decl.span())
        ),
    )
}
