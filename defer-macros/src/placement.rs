//! Where the body's items and the function's parameters go. The body runs
//! in a closure and the deferred code after it, so:
//!
//! - an item stays where it is written (in the closure: a local
//!   `macro_rules!` keeps its textual scope, an item keeps seeing what a
//!   macro statement such as `thread_local!` declares) unless deferred code
//!   names it; then it, and the body items it names, go in front of the
//!   closure. `use` declarations always go in front, so deferred code sees
//!   the same names as the body.
//! - a parameter that deferred code does not name is moved into the closure
//!   first thing (`let mut buf = buf;`; a by-value `self`, which a closure
//!   cannot rebind, by naming it in a branch never taken), so the body owns
//!   it as the function did: a `&mut` parameter can be re-sliced and assigned back
//!   (`buf = &mut buf[n..]`), and parameters are dropped when the body ends,
//!   last declared first, as Rust drops them. A parameter that deferred code
//!   names stays in the function's frame and is dropped after the deferred
//!   calls.

use quote::ToTokens;
use syn::{Item, Pat, Stmt};

use crate::analyze::Analysis;
use crate::input::Param;
use crate::scope::pat_bindings;

/// The names of the items declared in the body's own block.
pub fn item_names(body: &syn::Block) -> Vec<String> {
    body.stmts
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::Item(item) => item_name(item),
            _ => None,
        })
        .collect()
}

fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Fn(item) => &item.sig.ident,
        Item::Const(item) => &item.ident,
        Item::Static(item) => &item.ident,
        Item::Struct(item) => &item.ident,
        Item::Enum(item) => &item.ident,
        Item::Union(item) => &item.ident,
        Item::Trait(item) => &item.ident,
        Item::Type(item) => &item.ident,
        Item::Mod(item) => &item.ident,
        Item::Macro(item) => item.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Takes out of the body's own block the items that go in front of the
/// body closure: `use` declarations, the items deferred code names, and the
/// body items those name in turn.
pub fn hoist(body: &mut syn::Block, named: &[String]) -> Vec<Stmt> {
    let mut wanted: Vec<String> = named.to_vec();
    // The body items a hoisted item names go with it.
    loop {
        let before = wanted.len();
        for stmt in &body.stmts {
            if let Stmt::Item(item) = stmt
                && item_name(item).is_some_and(|name| wanted.contains(&name))
            {
                let mut words = Vec::new();
                crate::syntax::mentioned_names(item.to_token_stream(), &mut words);
                for name in item_names(body) {
                    if words.contains(&name) && !wanted.contains(&name) {
                        wanted.push(name);
                    }
                }
            }
        }
        if wanted.len() == before {
            break;
        }
    }
    let (hoisted, kept) =
        std::mem::take(&mut body.stmts)
            .into_iter()
            .partition(|stmt| match stmt {
                Stmt::Item(Item::Use(_)) => true,
                Stmt::Item(item) => item_name(item).is_some_and(|name| wanted.contains(&name)),
                _ => false,
            });
    body.stmts = kept;
    hoisted
}

/// The parameter bindings that deferred code does not name, in order: they
/// are moved into the body closure.
pub fn moved_params(params: &[Param], analysis: &Analysis, async_fn: bool) -> Vec<syn::Ident> {
    let mut named: Vec<String> = params_used_by_deferred_code(analysis).cloned().collect();
    if async_fn {
        // An `async fn`'s parameters are its first locals.
        named.extend(
            lowered_sites(analysis)
                .flat_map(|lowered| &lowered.captures)
                .filter(|capture| analysis.locals[capture.local].let_id.is_none())
                .map(|capture| capture.ident.to_string()),
        );
    }
    params
        .iter()
        .flat_map(|param| pat_bindings(&param.pat))
        .map(|(ident, _)| ident)
        .filter(|ident| !named.contains(&ident.to_string()))
        .collect()
}

/// Whether a site's deferred code uses `self` (it stays outside the body
/// closure, used in place at exit).
pub fn deferred_code_names_self(analysis: &Analysis) -> bool {
    params_used_by_deferred_code(analysis).any(|name| name == "self")
}

/// The parameters (and `self`) the sites' deferred code uses in place.
fn params_used_by_deferred_code(analysis: &Analysis) -> impl Iterator<Item = &String> {
    lowered_sites(analysis).flat_map(|lowered| &lowered.params_used)
}

/// The sites that lowered (the others are errors).
fn lowered_sites(analysis: &Analysis) -> impl Iterator<Item = &crate::analyze::Lowered> {
    analysis
        .sites
        .iter()
        .filter_map(|site| site.outcome.as_ref().ok())
}

/// `let (mut buf, n) = (buf, n);` for the moved parameters, each binding
/// spanned at the user's parameter (rustc's unused-variable and unused-mut
/// warnings stay there) and with the user's `mut`. One statement, so one
/// allowance: clippy would blame the `_x` bindings it moves.
///
/// `self_capture`, for a receiver the deferred code does not use: a
/// `&mut self` is captured whole (`*self`, a reborrow) rather than field by
/// field, as rustc's liveness check reports `self.busy = true; f();
/// self.busy = false;` in a closure that captures the field `self.busy` as
/// a value never read; a by-value `self` is moved into the closure like the
/// other parameters (a closure cannot rebind `self`, so it is named by value
/// in a branch the body never takes): the body owns it, so it can lend what
/// `self` holds for `'a` (`&mut self.entries[i]` out of a `self` holding a
/// `&'a mut`), and it is dropped when the body ends whether or not the body
/// moves it.
pub fn rebindings(
    params: &[Param],
    moved: &[syn::Ident],
    self_capture: Option<crate::input::SelfParam>,
) -> proc_macro2::TokenStream {
    use quote::{quote, quote_spanned};
    let reborrow = self_capture.map(|receiver| {
        let self_token = receiver.self_token;
        if receiver.by_value {
            quote! {
                if false {
                    ::fndefer::__private::moved_into_body(#self_token)
                }
            }
        } else {
            quote!(let _ = &mut *#self_token;)
        }
    });
    let mut patterns = Vec::new();
    let mut values = Vec::new();
    for param in params {
        for (ident, declared_mut) in pat_bindings(&param.pat) {
            if !moved.contains(&ident) {
                continue;
            }
            let mutability = declared_mut.then(|| quote_spanned!(ident.span()=> mut));
            patterns.push(quote!(#mutability #ident));
            values.push(ident);
        }
    }
    if values.is_empty() {
        return reborrow.unwrap_or_default();
    }
    let underscored = values
        .iter()
        .any(|ident| ident.to_string().starts_with('_'))
        .then(|| {
            quote!(#[allow(clippy::used_underscore_binding, clippy::no_effect_underscore_binding)])
        });
    quote! {
        #reborrow
        #underscored
        let (#(#patterns,)*) = (#(#values,)*);
    }
}

/// Drops the `mut` of the moved parameters from the signature's patterns:
/// the rebinding inside the body closure carries it.
pub fn strip_mut(pat: &mut Pat, moved: &[syn::Ident]) {
    struct StripMut<'a>(&'a [syn::Ident]);
    impl syn::visit_mut::VisitMut for StripMut<'_> {
        fn visit_pat_ident_mut(&mut self, pat: &mut syn::PatIdent) {
            if self.0.contains(&pat.ident) {
                pat.mutability = None;
            }
            syn::visit_mut::visit_pat_ident_mut(self, pat);
        }
        fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
        fn visit_type_mut(&mut self, _: &mut syn::Type) {}
    }
    syn::visit_mut::VisitMut::visit_pat_mut(&mut StripMut(moved), pat);
}
