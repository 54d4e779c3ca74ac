//! Adopted locals keep their meaning in the code that uses them. Once a
//! deferred call adopts `n`, the name lends the value back as `&mut T` /
//! `&T`; each use of that name — in the rest of the body, in a later site's
//! values evaluated now, and in the deferred code of a site that borrows it
//! from another's slot — is read as `(*n)`, so `n += 1`, `n == 0`,
//! `f(n)` and `&mut n` mean what they meant before the `defer!`.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{BinOp, Expr, Ident, Pat};

use crate::diag;
use crate::plan::LentLocal;
use crate::scope::{BindAt, ScopeWalk, Scopes, pat_bindings};
use crate::syntax::MacroBody;

/// Rewrites the uses of `adopted` names in `expr` (names it binds itself
/// shadow them).
pub fn uses_in(expr: &mut Expr, adopted: &[LentLocal]) {
    if adopted.is_empty() {
        return;
    }
    let mut rewrite = DerefAdopted {
        scopes: Scopes::new(),
        rewrote: false,
        at_site: &[],
        at_let: None,
        body_value: false,
    };
    for lent in adopted {
        rewrite.adopt(lent);
    }
    rewrite.visit_expr_mut(expr);
}

/// A scope-aware rewriter: names bound to `Some` are adopted.
pub struct DerefAdopted<'a> {
    scopes: Scopes<Option<LentLocal>>,
    /// Something was rewritten (macro input is re-emitted only then).
    rewrote: bool,
    /// In the body: the names each site (by id) and each pre-adopting `let`
    /// lends back, adopted where their placeholder stands.
    at_site: &'a [Vec<LentLocal>],
    at_let: Option<&'a std::collections::BTreeMap<usize, Vec<LentLocal>>>,
    /// The next block is the body, whose last expression is its value (an
    /// adopted local there is moved out).
    body_value: bool,
}

/// Rewrites the body's uses of the locals its sites adopt, from each
/// adoption on (before `splice` replaces the placeholders).
pub fn uses_in_body(
    block: &mut syn::Block,
    at_site: &[Vec<LentLocal>],
    at_let: &std::collections::BTreeMap<usize, Vec<LentLocal>>,
) {
    if at_site.iter().all(Vec::is_empty) && at_let.values().all(Vec::is_empty) {
        return;
    }
    let mut rewrite = DerefAdopted {
        scopes: Scopes::new(),
        rewrote: false,
        at_site,
        at_let: Some(at_let),
        body_value: false,
    };
    rewrite.body_value = true;
    rewrite.visit_block_mut(block);
}

/// A use that moves an adopted value out of its slot: it must be `Copy`,
/// else the error says which `defer!` holds the value.
fn moved_out(name: &Ident, lent_from: Span) -> Expr {
    let line = proc_macro2::Literal::usize_unsuffixed(diag::line_of(lent_from));
    // The error goes to the type argument, located at the use: spanning the
    // whole call there would make rustc suggest borrowing the call.
    let value_type = quote::quote_spanned!(name.span()=> _);
    let value = quote::quote_spanned!(name.span()=> &(*#name));
    // Tokens, so that the rest of the walk does not read `name` again.
    Expr::Verbatim(quote::quote_spanned! {Span::mixed_site()=>
        ::fndefer::__private::adopted_value::<#value_type, #line>(#value)
    })
}

/// A call argument naming a local lent back as `&mut T`: copied out if `T`
/// is `Copy`, reborrowed if it is a `&mut` (as the call did before the
/// `defer!`), else [`moved_out`]'s error (runtime `AdoptedArg` picks which).
fn passed_mut(name: &Ident, lent_from: Span) -> Expr {
    let line = proc_macro2::Literal::usize_unsuffixed(diag::line_of(lent_from));
    let value_type = quote::quote_spanned!(name.span()=> _);
    let read = quote::quote_spanned!(name.span()=> adopted_arg);
    let place = quote::quote_spanned!(name.span()=> &mut *#name);
    Expr::Verbatim(quote::quote_spanned! {Span::mixed_site()=>
        {
            use ::fndefer::__private::adopted_arg::{ViaCopy as _, ViaMove as _, ViaReborrow as _};
            ::fndefer::__private::AdoptedArg::<#value_type, #line>::new(#place).#read()
        }
    })
}

impl DerefAdopted<'_> {
    /// From here on in the current scope, `lent` is an adopted local.
    fn adopt(&mut self, lent: &LentLocal) {
        self.scopes.bind(lent.name.to_string(), Some(lent.clone()));
    }

    /// The adopted local `expr` names, if it is a plain use of one.
    fn adopted_use(&self, expr: &Expr) -> Option<(Ident, LentLocal)> {
        if let Expr::Path(path) = expr
            && path.qself.is_none()
            && path.attrs.is_empty()
            && let Some(ident) = path.path.get_ident()
            && let Some(lent) = self.lent(ident)
        {
            return Some((ident.clone(), lent.clone()));
        }
        None
    }

    /// Rewrites `expr` if it is a use of an adopted name; returns whether
    /// it was.
    fn rewrite_use(&mut self, expr: &mut Expr) -> bool {
        if let Some((ident, _)) = self.adopted_use(expr) {
            let span = ident.span();
            *expr = syn::parse_quote_spanned! {span=> (*#ident) };
            self.rewrote = true;
            return true;
        }
        false
    }

    /// Rewrites `expr` if it is an adopted name used as a value that moves
    /// (`return n`, `let m = n`, `x = n`); returns whether it was.
    fn rewrite_moved(&mut self, expr: &mut Expr) -> bool {
        if let Some((ident, lent)) = self.adopted_use(expr) {
            *expr = moved_out(&ident, lent.lent_from);
            self.rewrote = true;
            return true;
        }
        false
    }

    /// An assignment or `&mut` whose place is rooted at a local lent back
    /// as `&`: rustc's own help would suggest retyping the lent-back
    /// binding, so the error says to declare the local `mut`.
    fn mutation_of_immutable(&self, expr: &Expr) -> Option<syn::Error> {
        let (target, assigns) = match expr {
            Expr::Assign(assign) => (&*assign.left, true),
            Expr::Binary(binary) if is_compound_assignment(&binary.op) => (&*binary.left, true),
            Expr::Reference(reference) if reference.mutability.is_some() => {
                (&*reference.expr, false)
            }
            _ => return None,
        };
        let root = mutated_root(target)?;
        let lent = self.lent(root)?;
        if lent.lent_mut {
            return None;
        }
        Some(diag::mutates_lent_immutably(
            target,
            root,
            &lent.decl,
            lent.lent_from,
            assigns,
        ))
    }

    /// A statement of a block; `is_value`: the body's last expression,
    /// where an adopted local is moved out.
    fn visit_stmt_in_block(&mut self, stmt: &mut syn::Stmt, is_value: bool) {
        if is_value
            && let syn::Stmt::Expr(expr, None) = stmt
            && self.rewrite_moved(expr)
        {
            return;
        }
        self.visit_stmt_mut(stmt);
    }

    /// Whether tokens mention a name that is adopted here.
    fn names_adopted(&self, tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => self.lent(&ident).is_some(),
            proc_macro2::TokenTree::Group(group) => self.names_adopted(group.stream()),
            _ => false,
        })
    }

    fn lent(&self, name: &Ident) -> Option<&LentLocal> {
        self.scopes.lookup(&name.to_string())?.as_ref()
    }
}

fn is_compound_assignment(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

/// The variable a mutated place belongs to: `n`, `n.field`, `n[i]` — not
/// through a `*`, which may be a `&mut` the local holds.
fn mutated_root(place: &Expr) -> Option<&Ident> {
    match place {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
        Expr::Field(field) => mutated_root(&field.base),
        Expr::Index(index) => mutated_root(&index.expr),
        Expr::Paren(paren) => mutated_root(&paren.expr),
        Expr::Group(group) => mutated_root(&group.expr),
        _ => None,
    }
}

impl ScopeWalk for DerefAdopted<'_> {
    type Binding = Option<LentLocal>;

    fn scopes(&mut self) -> &mut Scopes<Option<LentLocal>> {
        &mut self.scopes
    }

    fn bind(&mut self, pat: &Pat, _: BindAt) {
        for (ident, _) in pat_bindings(pat) {
            self.scopes.bind(ident.to_string(), None);
        }
    }
}

impl VisitMut for DerefAdopted<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if self.rewrite_use(expr) {
            return;
        }
        // `&n` of a local lent back as `&T` is the lent reference itself
        // (`&*n` would be clippy's `borrow_deref_ref` at the user's `&n`).
        if let Expr::Reference(reference) = expr
            && reference.mutability.is_none()
            && let Some((ident, lent)) = self.adopted_use(&reference.expr)
            && !lent.lent_mut
        {
            *expr = Expr::Verbatim(quote::ToTokens::into_token_stream(ident));
            self.rewrote = true;
            return;
        }
        if let Some(error) = self.mutation_of_immutable(expr) {
            *expr = Expr::Verbatim(error.to_compile_error());
            self.rewrote = true;
            return;
        }
        if let Expr::Return(syn::ExprReturn {
            expr: Some(value), ..
        }) = expr
            && self.rewrite_moved(value)
        {
            return;
        }
        // An argument moves too, unless it is a `&mut` the call reborrows.
        let args = match expr {
            Expr::Call(call) => Some(&mut call.args),
            Expr::MethodCall(call) => Some(&mut call.args),
            _ => None,
        };
        if let Some(args) = args {
            for arg in args.iter_mut() {
                match self.adopted_use(arg) {
                    Some((ident, lent)) if lent.lent_mut => {
                        *arg = passed_mut(&ident, lent.lent_from);
                        self.rewrote = true;
                    }
                    Some(_) => {
                        self.rewrite_moved(arg);
                    }
                    None => {}
                }
            }
        }
        if let Expr::Assign(assign) = expr
            && self.rewrite_moved(&mut assign.right)
        {
            self.visit_expr_mut(&mut assign.left);
            return;
        }
        if !self.scoped_expr(expr) {
            visit_mut::visit_expr_mut(self, expr);
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        use crate::analyze::{LET_PLACEHOLDER, SITE_PLACEHOLDER, placeholder_index};
        let is_body = std::mem::take(&mut self.body_value);
        self.scopes.push();
        let stmts = std::mem::take(&mut block.stmts);
        let count = stmts.len();
        for (index, mut stmt) in stmts.into_iter().enumerate() {
            let is_value = is_body && index + 1 == count;
            if let syn::Stmt::Expr(expr, None) = &stmt {
                let lent = placeholder_index(expr, SITE_PLACEHOLDER)
                    .and_then(|id| self.at_site.get(id))
                    .or_else(|| {
                        placeholder_index(expr, LET_PLACEHOLDER)
                            .and_then(|id| self.at_let.and_then(|lets| lets.get(&id)))
                    });
                if let Some(names) = lent {
                    for lent in names {
                        self.adopt(lent);
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
                    let parsed_count = parsed.len();
                    for (parsed_index, mut stmt) in parsed.into_iter().enumerate() {
                        self.visit_stmt_in_block(
                            &mut stmt,
                            is_value && parsed_index + 1 == parsed_count,
                        );
                        block.stmts.push(stmt);
                    }
                    continue;
                }
            }
            self.visit_stmt_in_block(&mut stmt, is_value);
            block.stmts.push(stmt);
        }
        self.scopes.pop();
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        // `let m = n;` moves `n` (a typed `let` may reborrow a `&mut`).
        if let Pat::Ident(binding) = &local.pat
            && binding.by_ref.is_none()
            && binding.subpat.is_none()
            && let Some(init) = &mut local.init
            && init.diverge.is_none()
            && self.rewrite_moved(&mut init.expr)
        {
            self.bind(
                &local.pat,
                BindAt::Let {
                    holds_mut_ref: false,
                },
            );
            return;
        }
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
