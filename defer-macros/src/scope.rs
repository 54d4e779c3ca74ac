//! Name resolution for the body: which identifiers are parameters, which are
//! body locals (and whether a deferred call already adopted them), and which
//! locals a piece of deferred code names.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, Ident, Pat, Token};

/// Where an adopted local lives once a deferred call took it: field `field`
/// of the tuple queued by site `site`.
#[derive(Clone, Copy, Debug)]
pub struct Adoption {
    pub site: usize,
    pub field: usize,
    pub mutable: bool,
}

#[derive(Clone, Copy, Debug)]
pub enum Binding {
    /// A function parameter (or `self`): deferred code uses it in place.
    Param,
    /// A local of the body: `mutable` when it is lent back as `&mut`,
    /// `declared_mut` when the user wrote `mut` (and so must see it used);
    /// `decl` is where the name is declared (the user's `let x`), where
    /// rustc's suggestions about the binding should point; `let_id` numbers
    /// the `let` statement that declares it (none for patterns elsewhere).
    Local {
        mutable: bool,
        declared_mut: bool,
        decl: Span,
        let_id: Option<usize>,
        /// Scope depth and loop depth where it is declared: a deferred call
        /// in a deeper block or loop cannot adopt it there (see
        /// `Rewriter::pre_adopt`).
        depth: usize,
        loops: usize,
    },
    /// A local already moved into a deferred call's slot; the name now lends
    /// it back as `&mut T` / `&T`.
    Adopted(Adoption),
}

/// A stack of lexical scopes, innermost last.
#[derive(Clone)]
pub struct Scopes {
    frames: Vec<Vec<(String, Binding)>>,
    /// How many loops enclose the current point of the body.
    pub loops: usize,
}

impl Scopes {
    pub fn new() -> Self {
        Scopes {
            frames: vec![Vec::new()],
            loops: 0,
        }
    }

    pub fn push(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop(&mut self) {
        self.frames.pop();
    }

    /// How many scopes enclose the current point.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    pub fn bind(&mut self, name: String, binding: Binding) {
        if let Some(frame) = self.frames.last_mut() {
            frame.push((name, binding));
        }
    }

    pub fn bind_pat(&mut self, pat: &Pat, local: bool) {
        self.bind_pat_holding(pat, local, false);
    }

    /// Binds a pattern's names. A single name holding a `&mut` (its type says
    /// so, or it is initialised with `&mut ..`) counts as mutable for
    /// adoption: it is lent back as `&mut &mut T`, so the body can still
    /// write through it, as it could before.
    pub fn bind_pat_holding(&mut self, pat: &Pat, local: bool, holds_mut_ref: bool) {
        self.bind_names(pat, local, holds_mut_ref, None);
    }

    /// The names of the `let` statement numbered `let_id`: the `let` can
    /// carry an attribute for them.
    pub fn bind_let(&mut self, pat: &Pat, holds_mut_ref: bool, let_id: usize) {
        self.bind_names(pat, true, holds_mut_ref, Some(let_id));
    }

    fn bind_names(&mut self, pat: &Pat, local: bool, holds_mut_ref: bool, let_id: Option<usize>) {
        let holds_mut_ref = holds_mut_ref || typed_mut_ref(pat);
        let bindings = pat_bindings(pat);
        let single = bindings.len() == 1;
        for (ident, mutable) in bindings {
            let binding = if local {
                Binding::Local {
                    mutable: mutable || (single && holds_mut_ref),
                    declared_mut: mutable,
                    decl: ident.span(),
                    let_id,
                    depth: self.frames.len(),
                    loops: self.loops,
                }
            } else {
                Binding::Param
            };
            self.bind(ident.to_string(), binding);
        }
    }

    pub fn lookup(&self, name: &str) -> Option<Binding> {
        self.frames
            .iter()
            .rev()
            .flat_map(|frame| frame.iter().rev())
            .find(|(bound, _)| bound == name)
            .map(|(_, binding)| *binding)
    }
}

/// `x: &mut T`.
fn typed_mut_ref(pat: &Pat) -> bool {
    matches!(pat, Pat::Type(typed)
        if matches!(&*typed.ty, syn::Type::Reference(reference) if reference.mutability.is_some()))
}

/// The identifiers a pattern binds, with whether each is `mut`.
pub fn pat_bindings(pat: &Pat) -> Vec<(Ident, bool)> {
    struct Collect(Vec<(Ident, bool)>);
    impl<'ast> Visit<'ast> for Collect {
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
    collect.visit_pat(pat);
    collect.0
}

/// Whether `name` names a macro from std's formatting family, whose
/// arguments fndefer evaluates at the defer point.
pub fn is_format_macro(name: &str) -> bool {
    matches!(
        name,
        "println" | "print" | "eprintln" | "eprint" | "format" | "panic" | "write" | "writeln"
    )
}

/// The free identifiers of a piece of code: every single-segment path it uses
/// that is not bound inside it, in order of first use, with the span of that
/// use. Idents inside macro input are found by parsing the input as
/// comma-separated expressions, or failing that by scanning its tokens;
/// implicit `{name}` captures in string literals count too.
pub struct FreeNames {
    inner: Vec<Vec<String>>,
    pub found: Vec<Ident>,
}

impl FreeNames {
    pub fn new() -> Self {
        FreeNames {
            inner: vec![Vec::new()],
            found: Vec::new(),
        }
    }

    fn bound_inside(&self, name: &str) -> bool {
        self.inner.iter().flatten().any(|bound| bound == name)
    }

    fn note(&mut self, ident: &Ident) {
        let name = ident.to_string();
        if self.bound_inside(&name) {
            return;
        }
        if !self.found.iter().any(|found| *found == name) {
            self.found.push(ident.clone());
        }
    }

    fn bind(&mut self, pat: &Pat) {
        let names = pat_bindings(pat);
        if let Some(frame) = self.inner.last_mut() {
            frame.extend(names.into_iter().map(|(ident, _)| ident.to_string()));
        }
    }

    pub fn scan_tokens(&mut self, tokens: TokenStream) {
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
            let ident = Ident::new(&name, lit.span());
            self.note(&ident);
        }
    }
}

/// The names a format string captures implicitly: `{name}`, `{name:?}`,
/// `{:width$}`, `{:.prec$}`.
pub fn format_captures(format: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '}' {
            continue;
        }
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
        let (argument, format_spec) = match spec.split_once(':') {
            Some((argument, format_spec)) => (argument, format_spec),
            None => (spec.as_str(), ""),
        };
        let argument = argument.trim();
        if is_identifier(argument) {
            names.push(argument.to_owned());
        }
        // `width$` and `.precision$` may name variables too.
        for piece in format_spec
            .split('$')
            .take(format_spec.matches('$').count())
        {
            let name: String = piece
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if is_identifier(&name) {
                names.push(name);
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

impl<'ast> Visit<'ast> for FreeNames {
    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        if expr.qself.is_none()
            && let Some(ident) = expr.path.get_ident()
        {
            self.note(ident);
            return;
        }
        visit::visit_expr_path(self, expr);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.inner.push(Vec::new());
        for stmt in &block.stmts {
            self.visit_stmt(stmt);
        }
        self.inner.pop();
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.bind(&local.pat);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.inner.push(Vec::new());
        for input in &closure.inputs {
            self.bind(input);
        }
        self.visit_expr(&closure.body);
        self.inner.pop();
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.inner.push(Vec::new());
        self.bind(&arm.pat);
        if let Pat::Guard(guard) = &arm.pat {
            self.visit_expr(&guard.guard);
        }
        self.visit_expr(&arm.body);
        self.inner.pop();
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.visit_expr(&expr.expr);
        self.inner.push(Vec::new());
        self.bind(&expr.pat);
        self.visit_block(&expr.body);
        self.inner.pop();
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        self.inner.push(Vec::new());
        self.visit_expr(&expr.cond);
        self.visit_block(&expr.then_branch);
        self.inner.pop();
        if let Some((_, else_branch)) = &expr.else_branch {
            self.visit_expr(else_branch);
        }
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        self.inner.push(Vec::new());
        self.visit_expr(&expr.cond);
        self.visit_block(&expr.body);
        self.inner.pop();
    }

    fn visit_expr_let(&mut self, expr: &'ast syn::ExprLet) {
        self.visit_expr(&expr.expr);
        self.bind(&expr.pat);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let parsed = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated);
        match parsed {
            Ok(args) => {
                for arg in &args {
                    match arg {
                        // `name = value` in a format macro names an argument.
                        Expr::Assign(assign) if matches!(&*assign.left, Expr::Path(_)) => {
                            self.visit_expr(&assign.right)
                        }
                        Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(lit),
                            ..
                        }) => self.scan_format_string(lit),
                        other => self.visit_expr(other),
                    }
                }
            }
            Err(_) => match mac.parse_body_with(syn::Block::parse_within) {
                Ok(stmts) => {
                    self.inner.push(Vec::new());
                    for stmt in &stmts {
                        self.visit_stmt(stmt);
                    }
                    self.inner.pop();
                }
                Err(_) => self.scan_tokens(mac.tokens.clone()),
            },
        }
    }

    // Nested items cannot see the function's locals.
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Where a place expression (`x`, `x.field`, `(*x).y`) is rooted, if it is a
/// plain variable.
pub fn place_root(expr: &Expr) -> Option<&Ident> {
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

/// A name the expansion makes up. `mixed_site` hides it from the user's
/// local variables, but not from items: `let x` cannot bind where a `static`,
/// `const` or unit struct `x` is in scope (E0530), so the names also carry a
/// prefix no one writes by accident.
pub fn hidden(name: &str) -> Ident {
    Ident::new(
        &format!("__fndefer_{}", name.trim_start_matches('_')),
        Span::mixed_site(),
    )
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
}
