//! `recover()` written in deferred code acts on the function's frame; written
//! anywhere else it is the runtime's `recover()`, which returns `None`.
//!
//! One rule, as Go's: only a `recover()` the deferred code calls directly is
//! rewritten — not one in a closure, async block or item nested in it, and
//! the same inside a macro's input as outside.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro};

use crate::imports::Names;
use crate::scope::private_ident;
use crate::syntax::{MacroBody, is_recover_call};

/// Rewrites the `recover()` calls of a piece of deferred code.
pub fn in_deferred_code(body: &mut Expr, names: Names) {
    RecoverInDeferred {
        names,
        rewrote: false,
    }
    .visit_expr_mut(body);
}

/// `recover()` evaluated at the defer point (`defer!(f(recover()))`): always
/// `None`, as in Go. Casting the user's path keeps their import used.
pub fn evaluated_now(expr: &Expr) -> TokenStream {
    let Expr::Call(call) = expr else {
        return expr.to_token_stream();
    };
    let user_path = &call.func;
    quote_spanned!(expr.span()=> (#user_path as fn() -> ::core::option::Option<::fndefer::Panic>)())
}

struct RecoverInDeferred {
    names: Names,
    /// Whether anything was rewritten (macro input is re-emitted only then).
    rewrote: bool,
}

impl VisitMut for RecoverInDeferred {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if is_recover_call(expr, self.names) {
            if let Expr::Call(call) = expr {
                let frame = private_ident("__frame");
                let user_path = &call.func;
                let span = call.span();
                // A path call, so the expression starts and ends at the user's
                // `recover()` (a leading hidden `__frame` would put type errors
                // at `#[with_defer]`).
                let tokens = quote_spanned! {span=>
                    ::fndefer::__private::PanicSlot::recover(&mut #frame.panic, #user_path)
                };
                *expr = syn::parse2(tokens.clone()).unwrap_or(Expr::Verbatim(tokens));
                self.rewrote = true;
            }
            return;
        }
        match expr {
            // Go: `recover` not called directly by the deferred function is nil.
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        // A nested site's code recovers its own function's panic.
        if crate::site::Kind::of(mac, self.names).is_some() {
            return;
        }
        if is_defer_scope(mac) {
            self.scope_literal(mac);
            return;
        }
        let outer = std::mem::replace(&mut self.rewrote, false);
        match MacroBody::of(mac) {
            MacroBody::Args(mut args) => {
                for arg in &mut args {
                    self.visit_expr_mut(arg);
                }
                if self.rewrote {
                    mac.tokens = args.into_token_stream();
                }
            }
            MacroBody::Stmts(mut stmts) => {
                for stmt in &mut stmts {
                    self.visit_stmt_mut(stmt);
                }
                if self.rewrote {
                    mac.tokens = quote!(#(#stmts)*);
                }
            }
            MacroBody::Tokens => {
                mac.tokens = in_tokens(std::mem::take(&mut mac.tokens), &mut self.rewrote);
            }
        }
        self.rewrote |= outer;
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

fn is_defer_scope(mac: &Macro) -> bool {
    crate::syntax::path_is(&mac.path, &["defer_scope"])
        || crate::syntax::path_is(&mac.path, &["fndefer", "defer_scope"])
}

impl RecoverInDeferred {
    /// `defer_scope!([allow(..);] || body)` in deferred code is Go's deferred
    /// function literal: a `recover()` its body calls directly stops the
    /// panic of the function that deferred it (its own deferred calls see
    /// its own panic).
    fn scope_literal(&mut self, mac: &mut Macro) {
        let trees: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
        let split = trees
            .iter()
            .position(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ';'))
            .map_or(0, |at| at + 1);
        let options: TokenStream = trees[..split].iter().cloned().collect();
        let closure: TokenStream = trees[split..].iter().cloned().collect();
        let Ok(mut closure) = syn::parse2::<syn::ExprClosure>(closure) else {
            return;
        };
        let outer = std::mem::replace(&mut self.rewrote, false);
        self.visit_expr_mut(&mut closure.body);
        if self.rewrote {
            mac.tokens = quote!(#options #closure);
        }
        self.rewrote |= outer;
    }
}

/// Macro input that is no syntax: `recover()` / `fndefer::recover()` token
/// sequences, outside any `|..|` closure.
fn in_tokens(tokens: TokenStream, rewrote: &mut bool) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
        if matches!(&trees[index], TokenTree::Punct(p) if p.as_char() == '|') {
            // A closure's parameters and body: the rest of this group.
            out.extend(trees[index..].iter().cloned());
            break;
        }
        let is_call = match (&trees[index], trees.get(index + 1)) {
            (TokenTree::Ident(ident), Some(TokenTree::Group(args))) => {
                ident == "recover"
                    && args.delimiter() == Delimiter::Parenthesis
                    && args.stream().is_empty()
                    && !matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == '.')
            }
            _ => false,
        };
        if is_call {
            // Keep a `fndefer::` prefix as part of the user's path.
            let mut path: Vec<TokenTree> = Vec::new();
            let prefixed = out.len() >= 3
                && matches!(&out[out.len() - 1], TokenTree::Punct(p) if p.as_char() == ':')
                && matches!(&out[out.len() - 2], TokenTree::Punct(p) if p.as_char() == ':')
                && matches!(&out[out.len() - 3], TokenTree::Ident(i) if i == "fndefer");
            if prefixed {
                path.extend(out.drain(out.len() - 3..));
            }
            path.push(trees[index].clone());
            let frame = private_ident("__frame");
            let path: TokenStream = path.into_iter().collect();
            let call = quote!(#frame.panic.recover(#path));
            out.push(TokenTree::Group(Group::new(Delimiter::Parenthesis, call)));
            *rewrote = true;
            index += 2;
            continue;
        }
        match &trees[index] {
            TokenTree::Group(group) => {
                let mut rewritten =
                    Group::new(group.delimiter(), in_tokens(group.stream(), rewrote));
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
            }
            other => out.push(other.clone()),
        }
        index += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(mut code: Expr) -> String {
        in_deferred_code(&mut code, Names::FNDEFER);
        code.to_token_stream().to_string()
    }

    #[test]
    fn one_rule_inside_and_outside_macro_input() {
        let direct = rewritten(syn::parse_quote!({
            recover();
        }));
        assert!(direct.contains("PanicSlot :: recover"), "{direct}");
        let in_macro = rewritten(syn::parse_quote!({
            println!("{:?}", recover());
        }));
        assert!(in_macro.contains("PanicSlot :: recover"), "{in_macro}");
        for nested in [
            rewritten(syn::parse_quote!({
                (|| recover())();
            })),
            rewritten(syn::parse_quote!({
                println!("{:?}", (|| recover())());
            })),
            rewritten(syn::parse_quote!({
                m!(@odd [|| recover()]);
            })),
        ] {
            assert!(!nested.contains("__frame"), "{nested}");
        }
    }
}
