//! Puts each site's registration (or error) where `analyze` left its
//! placeholder, and after each `let` its pre-adoption, if any; marks the
//! `let mut`s whose local a deferred call adopted.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt};

use crate::analyze::{LET_PLACEHOLDER, Position, SITE_PLACEHOLDER, placeholder_index};

pub struct Splice<'a> {
    /// By site id: the tokens and where the site stood.
    pub sites: Vec<(TokenStream, Position)>,
    pub pre_adoptions: BTreeMap<usize, TokenStream>,
    pub silence_unused_mut: &'a BTreeSet<usize>,
}

pub fn body(block: &mut syn::Block, splice: Splice) {
    let mut splice = splice;
    splice.visit_block_mut(block);
}

impl Splice<'_> {
    fn site(&mut self, index: usize) -> (TokenStream, Position) {
        match self.sites.get_mut(index) {
            Some((tokens, position)) => (std::mem::take(tokens), *position),
            None => (TokenStream::new(), Position::Statement),
        }
    }
}

impl VisitMut for Splice<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let stmts = std::mem::take(&mut block.stmts);
        for mut stmt in stmts {
            if let Stmt::Expr(expr, None) = &stmt {
                if let Some(id) = placeholder_index(expr, SITE_PLACEHOLDER) {
                    let (code, position) = self.site(id);
                    let code = match position {
                        Position::Statement => code,
                        Position::Expression => quote!(({ #code })),
                    };
                    block.stmts.push(Stmt::Expr(Expr::Verbatim(code), None));
                    continue;
                }
                if let Some(let_id) = placeholder_index(expr, LET_PLACEHOLDER) {
                    if self.silence_unused_mut.contains(&let_id)
                        && let Some(Stmt::Local(local)) = block.stmts.last_mut()
                    {
                        local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
                    }
                    if let Some(code) = self.pre_adoptions.remove(&let_id) {
                        block.stmts.push(Stmt::Expr(Expr::Verbatim(code), None));
                    }
                    continue;
                }
            }
            self.visit_stmt_mut(&mut stmt);
            block.stmts.push(stmt);
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some(id) = placeholder_index(expr, SITE_PLACEHOLDER) {
            let (code, position) = self.site(id);
            *expr = match position {
                // Parenthesized, so `defer!(..) + x` cannot parse as a block statement.
                Position::Expression => Expr::Verbatim(quote!(({ #code }))),
                Position::Statement => Expr::Verbatim(code),
            };
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
