//! Adopted locals keep their meaning in the code that uses them. Once a
//! deferred call adopts `n`, the name lends the value back as `&mut T` /
//! `&T`; each use of that name — in the rest of the body, in a later site's
//! values evaluated now, and in the deferred code of a site that borrows it
//! from another's slot — is read as `(*n)`, so `n += 1`, `n == 0`,
//! `f(n)` and `&mut n` mean what they meant before the `defer!`.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Pat};

use crate::scope::{BindAt, ScopeWalk, Scopes, pat_bindings};
use crate::syntax::MacroBody;

/// Rewrites the uses of `adopted` names in `expr` (names it binds itself
/// shadow them).
pub fn uses_in(expr: &mut Expr, adopted: &[Ident]) {
    if adopted.is_empty() {
        return;
    }
    let mut rewrite = DerefAdopted {
        scopes: Scopes::new(),
        rewrote: false,
        at_site: &[],
        at_let: None,
    };
    for name in adopted {
        rewrite.adopt(name);
    }
    rewrite.visit_expr_mut(expr);
}

/// A scope-aware rewriter: `true` names are adopted.
pub struct DerefAdopted<'a> {
    scopes: Scopes<bool>,
    /// Something was rewritten (macro input is re-emitted only then).
    rewrote: bool,
    /// In the body: the names each site (by id) and each pre-adopting `let`
    /// lends back, adopted where their placeholder stands.
    at_site: &'a [Vec<Ident>],
    at_let: Option<&'a std::collections::BTreeMap<usize, Vec<Ident>>>,
}

/// Rewrites the body's uses of the locals its sites adopt, from each
/// adoption on (before `splice` replaces the placeholders).
pub fn uses_in_body(
    block: &mut syn::Block,
    at_site: &[Vec<Ident>],
    at_let: &std::collections::BTreeMap<usize, Vec<Ident>>,
) {
    if at_site.iter().all(Vec::is_empty) && at_let.values().all(Vec::is_empty) {
        return;
    }
    let mut rewrite = DerefAdopted {
        scopes: Scopes::new(),
        rewrote: false,
        at_site,
        at_let: Some(at_let),
    };
    rewrite.visit_block_mut(block);
}

impl DerefAdopted<'_> {
    /// From here on in the current scope, `name` is an adopted local.
    fn adopt(&mut self, name: &Ident) {
        self.scopes.bind(name.to_string(), true);
    }

    /// Rewrites `expr` if it is a use of an adopted name; returns whether
    /// it was.
    fn rewrite_use(&mut self, expr: &mut Expr) -> bool {
        if let Expr::Path(path) = expr
            && path.qself.is_none()
            && path.attrs.is_empty()
            && let Some(ident) = path.path.get_ident()
            && self.is_adopted(ident)
        {
            let span = ident.span();
            let inner = expr.clone();
            *expr = syn::parse_quote_spanned! {span=> (*#inner) };
            self.rewrote = true;
            return true;
        }
        false
    }

    /// Whether tokens mention a name that is adopted here.
    fn names_adopted(&self, tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => self.is_adopted(&ident),
            proc_macro2::TokenTree::Group(group) => self.names_adopted(group.stream()),
            _ => false,
        })
    }

    fn is_adopted(&self, name: &Ident) -> bool {
        self.scopes.lookup(&name.to_string()).copied() == Some(true)
    }
}

impl ScopeWalk for DerefAdopted<'_> {
    type Binding = bool;

    fn scopes(&mut self) -> &mut Scopes<bool> {
        &mut self.scopes
    }

    fn bind(&mut self, pat: &Pat, _: BindAt) {
        for (ident, _) in pat_bindings(pat) {
            self.scopes.bind(ident.to_string(), false);
        }
    }
}

impl VisitMut for DerefAdopted<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if self.rewrite_use(expr) {
            return;
        }
        if !self.scoped_expr(expr) {
            visit_mut::visit_expr_mut(self, expr);
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        use crate::analyze::{LET_PLACEHOLDER, SITE_PLACEHOLDER, placeholder_index};
        self.scopes.push();
        let stmts = std::mem::take(&mut block.stmts);
        for mut stmt in stmts {
            if let syn::Stmt::Expr(expr, None) = &stmt {
                let lent = placeholder_index(expr, SITE_PLACEHOLDER)
                    .and_then(|id| self.at_site.get(id))
                    .or_else(|| {
                        placeholder_index(expr, LET_PLACEHOLDER)
                            .and_then(|id| self.at_let.and_then(|lets| lets.get(&id)))
                    });
                if let Some(names) = lent {
                    for name in names {
                        self.scopes.bind(name.to_string(), true);
                    }
                    block.stmts.push(stmt);
                    continue;
                }
                // Statements the analysis left as tokens: parsed only when
                // they name an adopted local.
                if let Expr::Verbatim(tokens) = expr
                    && self.names_adopted(tokens.clone())
                    && let Ok(parsed) =
                        syn::parse::Parser::parse2(syn::Block::parse_within, tokens.clone())
                {
                    for mut stmt in parsed {
                        self.visit_stmt_mut(&mut stmt);
                        block.stmts.push(stmt);
                    }
                    continue;
                }
            }
            self.visit_stmt_mut(&mut stmt);
            block.stmts.push(stmt);
        }
        self.scopes.pop();
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        self.scoped_local(local);
    }

    /// `assert_eq!(n, 3)`, `println!("{}", n)`: macro input that reads as
    /// expressions is rewritten too (`{n}` in a format string needs nothing:
    /// a reference formats as its value).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if let MacroBody::Args(mut args) = MacroBody::of(mac) {
            let outer = std::mem::replace(&mut self.rewrote, false);
            for arg in &mut args {
                self.visit_expr_mut(arg);
            }
            if self.rewrote {
                mac.tokens = quote::ToTokens::into_token_stream(args);
            }
            self.rewrote |= outer;
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
