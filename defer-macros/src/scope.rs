//! Rust's binding rules, once: which constructs open a scope and where each
//! pattern binds. [`ScopeWalk`] drives both the body's analysis (which
//! resolves the names deferred code uses) and [`FreeNames`] (which finds
//! them in a piece of deferred code).

use proc_macro2::{TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Pat};

use crate::syntax::{MacroBody, format_captures};

/// Identifies one scope instance of a walk, so that a fact recorded in a
/// scope (a local adopted there) can be checked for visibility later.
pub type ScopeId = usize;

/// A stack of lexical scopes, innermost last, each binding names to `B`.
pub struct Scopes<B> {
    frames: Vec<(ScopeId, Vec<(String, B)>)>,
    opened: usize,
    /// How many loops enclose the current point.
    pub loops: usize,
}

impl<B: Clone> Scopes<B> {
    pub fn new() -> Self {
        Scopes {
            frames: vec![(0, Vec::new())],
            opened: 1,
            loops: 0,
        }
    }

    pub fn push(&mut self) {
        self.frames.push((self.opened, Vec::new()));
        self.opened += 1;
    }

    pub fn pop(&mut self) {
        self.frames.pop();
    }

    /// How many scopes enclose the current point.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// The scopes enclosing the current point, outermost first.
    pub fn chain(&self) -> Vec<ScopeId> {
        self.frames.iter().map(|(id, _)| *id).collect()
    }

    pub fn bind(&mut self, name: String, binding: B) {
        if let Some((_, names)) = self.frames.last_mut() {
            names.push((name, binding));
        }
    }

    pub fn lookup(&self, name: &str) -> Option<&B> {
        self.frames
            .iter()
            .rev()
            .flat_map(|(_, names)| names.iter().rev())
            .find(|(bound, _)| bound == name)
            .map(|(_, binding)| binding)
    }
}

/// Where a pattern binds its names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BindAt {
    /// A `let` statement's pattern; `holds_mut_ref` when it is initialised
    /// with `&mut ..`.
    Let { holds_mut_ref: bool },
    /// Closure parameters, match arms, `for` and `if let` / `while let`.
    Pattern,
}

/// The scoping rules, as default methods over a `VisitMut`: a walker
/// implements `scopes` and `bind`, and calls `scoped_expr` / `scoped_block`
/// / `scoped_local` from its own visit methods.
pub trait ScopeWalk: VisitMut {
    type Binding: Clone;

    fn scopes(&mut self) -> &mut Scopes<Self::Binding>;

    /// Binds the names of `pat` in the innermost scope.
    fn bind(&mut self, pat: &Pat, at: BindAt);

    /// A match arm's body (after its pattern and guard are bound).
    fn visit_arm_body(&mut self, body: &mut Expr) {
        self.visit_expr_mut(body);
    }

    /// `{ .. }`: one scope for its statements.
    fn scoped_block(&mut self, block: &mut syn::Block) {
        self.scopes().push();
        for stmt in &mut block.stmts {
            self.visit_stmt_mut(stmt);
        }
        self.scopes().pop();
    }

    /// `let pat = init else { diverge };`: the pattern binds after both.
    fn scoped_local(&mut self, local: &mut syn::Local) {
        if let Some(init) = &mut local.init {
            self.visit_expr_mut(&mut init.expr);
            if let Some((_, diverge)) = &mut init.diverge {
                self.visit_expr_mut(diverge);
            }
        }
        let holds_mut_ref = local.init.as_ref().is_some_and(|init| {
            matches!(&*init.expr, Expr::Reference(reference) if reference.mutability.is_some())
        });
        self.bind(&local.pat, BindAt::Let { holds_mut_ref });
    }

    /// The expressions that open a scope or bind names. Returns false for
    /// any other expression, which the walker visits as it likes.
    fn scoped_expr(&mut self, expr: &mut Expr) -> bool {
        match expr {
            Expr::Closure(closure) => {
                self.scopes().push();
                for input in &closure.inputs {
                    self.bind(input, BindAt::Pattern);
                }
                self.visit_expr_mut(&mut closure.body);
                self.scopes().pop();
            }
            Expr::ForLoop(for_loop) => {
                self.visit_expr_mut(&mut for_loop.expr);
                self.scopes().loops += 1;
                self.scopes().push();
                self.bind(&for_loop.pat, BindAt::Pattern);
                self.visit_block_mut(&mut for_loop.body);
                self.scopes().pop();
                self.scopes().loops -= 1;
            }
            Expr::While(while_loop) => {
                self.scopes().loops += 1;
                self.scopes().push();
                self.visit_expr_mut(&mut while_loop.cond);
                self.visit_block_mut(&mut while_loop.body);
                self.scopes().pop();
                self.scopes().loops -= 1;
            }
            Expr::Loop(loop_expr) => {
                self.scopes().loops += 1;
                self.visit_block_mut(&mut loop_expr.body);
                self.scopes().loops -= 1;
            }
            Expr::If(if_expr) => {
                self.scopes().push();
                self.visit_expr_mut(&mut if_expr.cond);
                self.visit_block_mut(&mut if_expr.then_branch);
                self.scopes().pop();
                if let Some((_, else_branch)) = &mut if_expr.else_branch {
                    self.visit_expr_mut(else_branch);
                }
            }
            Expr::Match(match_expr) => {
                self.visit_expr_mut(&mut match_expr.expr);
                for arm in &mut match_expr.arms {
                    self.scopes().push();
                    self.bind(&arm.pat, BindAt::Pattern);
                    if let Pat::Guard(guard) = &mut arm.pat {
                        self.visit_expr_mut(&mut guard.guard);
                    }
                    self.visit_arm_body(&mut arm.body);
                    self.scopes().pop();
                }
            }
            Expr::Let(let_expr) => {
                self.visit_expr_mut(&mut let_expr.expr);
                self.bind(&let_expr.pat, BindAt::Pattern);
            }
            _ => return false,
        }
        true
    }
}

/// The identifiers a pattern binds, with whether each is `mut`.
pub fn pat_bindings(pat: &Pat) -> Vec<(Ident, bool)> {
    struct Collect(Vec<(Ident, bool)>);
    impl<'ast> syn::visit::Visit<'ast> for Collect {
        fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
            // `None`, `Ordering::Less` and constants are paths, not bindings;
            // a lone identifier that starts upper-case almost always is one.
            let name = pat.ident.to_string();
            let looks_like_constant = name.starts_with(|c: char| c.is_ascii_uppercase());
            if !looks_like_constant || pat.subpat.is_some() {
                self.0.push((pat.ident.clone(), pat.mutability.is_some()));
            }
            if let Some((_, subpat)) = &pat.subpat {
                self.visit_pat(subpat);
            }
        }
        // Types, paths and expressions inside patterns bind nothing.
        fn visit_type(&mut self, _: &'ast syn::Type) {}
        fn visit_expr(&mut self, _: &'ast Expr) {}
        fn visit_path(&mut self, _: &'ast syn::Path) {}
    }
    let mut collect = Collect(Vec::new());
    syn::visit::Visit::visit_pat(&mut collect, pat);
    collect.0
}

/// The free identifiers of a piece of code: every single-segment path it uses
/// that is not bound inside it, in order of first use, with the span of that
/// use. Macro input is read as [`MacroBody`]; implicit `{name}` captures in
/// string literals count too.
pub struct FreeNames {
    inner: Scopes<()>,
    pub found: Vec<Ident>,
}

impl FreeNames {
    /// The free names of `expr`.
    pub fn of(expr: &mut Expr) -> Vec<Ident> {
        let mut names = FreeNames {
            inner: Scopes::new(),
            found: Vec::new(),
        };
        names.visit_expr_mut(expr);
        names.found
    }

    /// The free names of a closure, its parameters bound.
    pub fn of_closure(closure: &mut syn::ExprClosure) -> Vec<Ident> {
        let mut names = FreeNames {
            inner: Scopes::new(),
            found: Vec::new(),
        };
        names.visit_expr_closure_mut(closure);
        names.found
    }

    fn note(&mut self, ident: &Ident) {
        let name = ident.to_string();
        if self.inner.lookup(&name).is_some() {
            return;
        }
        if !self.found.iter().any(|found| *found == name) {
            self.found.push(ident.clone());
        }
    }

    fn scan_tokens(&mut self, tokens: TokenStream) {
        let mut after_dot = false;
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => {
                    if !after_dot {
                        self.note(&ident);
                    }
                    after_dot = false;
                }
                TokenTree::Punct(punct) => after_dot = punct.as_char() == '.',
                TokenTree::Group(group) => {
                    self.scan_tokens(group.stream());
                    after_dot = false;
                }
                TokenTree::Literal(literal) => {
                    if let Ok(lit) = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal).into())
                    {
                        self.scan_format_string(&lit);
                    }
                    after_dot = false;
                }
            }
        }
    }

    fn scan_format_string(&mut self, lit: &syn::LitStr) {
        for name in format_captures(&lit.value()) {
            self.note(&Ident::new(&name, lit.span()));
        }
    }
}

impl ScopeWalk for FreeNames {
    type Binding = ();

    fn scopes(&mut self) -> &mut Scopes<()> {
        &mut self.inner
    }

    fn bind(&mut self, pat: &Pat, _: BindAt) {
        for (ident, _) in pat_bindings(pat) {
            self.inner.bind(ident.to_string(), ());
        }
    }
}

impl VisitMut for FreeNames {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        if expr.qself.is_none()
            && let Some(ident) = expr.path.get_ident()
        {
            let ident = ident.clone();
            self.note(&ident);
            return;
        }
        visit_mut::visit_expr_path_mut(self, expr);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if !self.scoped_expr(expr) {
            visit_mut::visit_expr_mut(self, expr);
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scoped_block(block);
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        self.scoped_local(local);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        match MacroBody::of(mac) {
            MacroBody::Args(mut args) => {
                for arg in &mut args {
                    match arg {
                        // `name = value` in a format macro names an argument.
                        Expr::Assign(assign) if matches!(&*assign.left, Expr::Path(_)) => {
                            self.visit_expr_mut(&mut assign.right);
                        }
                        Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(lit),
                            ..
                        }) => self.scan_format_string(lit),
                        other => self.visit_expr_mut(other),
                    }
                }
            }
            MacroBody::Stmts(mut stmts) => {
                self.inner.push();
                for stmt in &mut stmts {
                    self.visit_stmt_mut(stmt);
                }
                self.inner.pop();
            }
            MacroBody::Tokens => self.scan_tokens(mac.tokens.clone()),
        }
    }

    // Nested items cannot see the function's locals.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// A name the expansion makes up. `mixed_site` hides it from the user's
/// local variables, but not from items: `let x` cannot bind where a `static`,
/// `const` or unit struct `x` is in scope (E0530), so the names also carry a
/// prefix no one writes by accident.
pub fn private_ident(name: &str) -> Ident {
    Ident::new(
        &format!("__fndefer_{}", name.trim_start_matches('_')),
        proc_macro2::Span::mixed_site(),
    )
}

/// [`private_ident`] located at a user's token, so that rustc reports what
/// concerns it there (a wrong `|ret: T|` annotation) and not at the attribute.
pub fn private_ident_at(name: &str, at: proc_macro2::Span) -> Ident {
    let mut ident = private_ident(name);
    ident.set_span(proc_macro2::Span::mixed_site().located_at(at));
    ident
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_skip_what_the_code_binds() {
        let mut code: Expr = syn::parse_quote!(|| {
            let local = a + b.len();
            for item in items {
                use_it(item, local);
            }
            match c {
                Some(inner) => inner,
                None => d,
            };
            println!("{e} {}", f);
            (|x| x + g)(1);
        });
        let names: Vec<String> = FreeNames::of(&mut code)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            names,
            ["a", "b", "items", "use_it", "c", "d", "e", "f", "g"]
        );
    }
}
