//! Go's named results: `#[with_defer(named(val, err))]` on a function
//! returning `(T1, T2)` declares `val: T1` and `err: T2` as locals of the
//! function, initialised to their zero values (`Default`), used in place by
//! the body and the deferred code, and returned after the last deferred call.
//!
//! Input:
//!
//! ```ignore
//! #[with_defer(named(n, err))]
//! fn f() -> (u32, Option<E>) { defer!(|| if err.is_some() { n = 0 }); return (7, check()); }
//! ```
//!
//! Output (in outline):
//!
//! ```ignore
//! let mut n: u32 = zero(); let mut err: Option<E> = zero();
//! /* frame */ run(|| { { (n, err) = (7, check()); return; } });
//! /* deferred calls */ (n, err)
//! ```

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ReturnType, Stmt, Type};

/// The names and their types.
pub struct Named {
    pub names: Vec<syn::Ident>,
    types: Vec<Type>,
}

impl Named {
    /// Pairs each name with an element of the returned tuple (or with the
    /// whole result when there is one name).
    pub fn of(names: &[syn::Ident], output: &ReturnType) -> syn::Result<Named> {
        let first = &names[0];
        let ReturnType::Type(_, ty) = output else {
            return Err(syn::Error::new_spanned(
                first,
                "`named(..)` names the function's results, and it returns none: \
                 add a return type or remove `named(..)`",
            ));
        };
        let types: Vec<Type> = match (&**ty, names.len()) {
            (_, 1) => vec![(**ty).clone()],
            (Type::Tuple(tuple), n) if tuple.elems.len() == n => {
                tuple.elems.iter().cloned().collect()
            }
            (Type::Tuple(tuple), n) => {
                return Err(syn::Error::new_spanned(
                    first,
                    format!(
                        "`named(..)` has {n} names and the function returns {} results: \
                         write one name per element of the returned tuple",
                        tuple.elems.len()
                    ),
                ));
            }
            (_, n) => {
                return Err(syn::Error::new_spanned(
                    first,
                    format!(
                        "`named(..)` has {n} names and the function returns one value: \
                         return a tuple of {n}, or give one name"
                    ),
                ));
            }
        };
        if types.iter().any(|ty| matches!(ty, Type::ImplTrait(_))) {
            return Err(syn::Error::new_spanned(
                first,
                "a named result cannot be `impl Trait`: its type must be written out",
            ));
        }
        Ok(Named {
            names: names.to_vec(),
            types,
        })
    }

    /// `let mut val: T1 = zero();` for each name; a type without `Default`
    /// is an error at the name.
    pub fn declarations(&self) -> TokenStream {
        self.names
            .iter()
            .zip(&self.types)
            .map(|(name, ty)| {
                let zero = quote_spanned!(name.span()=> ::fndefer::__private::named_zero::<#ty>());
                quote! {
                    #[allow(unused_mut)]
                    let mut #name: #ty = #zero;
                }
            })
            .collect()
    }

    /// What the function returns: the named results as they are.
    pub fn result(&self) -> TokenStream {
        let names = &self.names;
        match names.as_slice() {
            [one] => quote!(#one),
            _ => quote!((#(#names),*)),
        }
    }

    /// `val = ..` / `(val, err) = ..`. In `return (m, None)` the element that
    /// is the name itself is left as it is (assigning it would move it into
    /// the body closure).
    fn assign(&self, value: Expr) -> TokenStream {
        let is_name = |expr: &Expr, name: &syn::Ident| matches!(expr, Expr::Path(path) if path.qself.is_none() && path.path.is_ident(name));
        match (&value, self.names.as_slice()) {
            (_, [one]) if is_name(&value, one) => TokenStream::new(),
            (_, [one]) => quote!(#one = #value;),
            (Expr::Tuple(tuple), names) if tuple.elems.len() == names.len() => {
                let pairs: Vec<(&syn::Ident, &Expr)> = names
                    .iter()
                    .zip(&tuple.elems)
                    .filter(|(name, elem)| !is_name(elem, name))
                    .collect();
                let temps: Vec<syn::Ident> = (0..pairs.len())
                    .map(|index| crate::scope::private_ident(&format!("__result{index}")))
                    .collect();
                let names = pairs.iter().map(|(name, _)| name);
                let elems = pairs.iter().map(|(_, elem)| elem);
                quote! {
                    let (#(#temps,)*) = (#(#elems,)*);
                    #(#names = #temps;)*
                }
            }
            _ => {
                let target = self.result();
                quote!(#target = #value;)
            }
        }
    }

    /// `return (a, b)` sets the named results, then returns; a value the
    /// body ends with (not a block-like expression, not a printing macro)
    /// sets them too.
    pub fn rewrite_body(&self, block: &mut syn::Block) {
        ReturnsSet { named: self }.visit_block_mut(block);
        if let Some(Stmt::Expr(tail, None)) = block.stmts.last_mut()
            && sets_result(tail)
        {
            let value = std::mem::replace(tail, Expr::Verbatim(TokenStream::new()));
            let assign = self.assign(value);
            *tail = Expr::Verbatim(quote!({ #assign }));
        }
    }
}

/// Whether a body's last expression is its value (rather than `()`).
fn sets_result(tail: &Expr) -> bool {
    match tail {
        Expr::If(_)
        | Expr::Match(_)
        | Expr::Block(_)
        | Expr::Loop(_)
        | Expr::While(_)
        | Expr::ForLoop(_)
        | Expr::Unsafe(_)
        | Expr::Return(_)
        | Expr::Verbatim(_) => false,
        Expr::Macro(mac) => {
            let name = crate::syntax::macro_name(&mac.mac);
            !(crate::syntax::is_format_macro(&name) && name != "format"
                || name.starts_with("assert")
                || name.starts_with("debug_assert")
                || matches!(name.as_str(), "todo" | "unimplemented" | "unreachable"))
        }
        _ => true,
    }
}

struct ReturnsSet<'a> {
    named: &'a Named,
}

impl VisitMut for ReturnsSet<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Return(ret) if ret.expr.is_some() => {
                if let Some(value) = ret.expr.as_mut() {
                    self.visit_expr_mut(value);
                }
                let Some(value) = ret.expr.take() else { return };
                let assign = self.named.assign(*value);
                let return_token = ret.return_token;
                *expr = Expr::Verbatim(quote!({ #assign #return_token; }));
            }
            // Their `return` is their own.
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
