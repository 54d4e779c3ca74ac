//! A fatal error (no function to expand): the error, and the item with its
//! `defer!` sites removed so they do not each add an error of their own.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt};

use crate::diag::keep_import_used;
use crate::imports::Names;
use crate::syntax::{site_of_expr, site_of_stmt};

pub fn expand(error: &syn::Error, item: TokenStream, names: Names) -> TokenStream {
    let error = error.to_compile_error();
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(mut parsed) => {
            StripSites(names).visit_item_mut(&mut parsed);
            quote!(#error #parsed)
        }
        Err(_) => quote!(#error #item),
    }
}

/// Replaces each site by `defer! { __fndefer_used }` (the user's path, which
/// expands to nothing), so the user's import of the macro stays used.
struct StripSites(Names);

impl VisitMut for StripSites {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some((_, mac)) = site_of_expr(expr, self.0) {
            let used = keep_import_used(&mac.path);
            *expr = Expr::Verbatim(quote!(({ #used })));
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if matches!(stmt, Stmt::Macro(_))
            && let Some((_, mac)) = site_of_stmt(stmt, self.0)
        {
            *stmt = Stmt::Expr(Expr::Verbatim(keep_import_used(&mac.path)), None);
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }
}
