//! One walk of the body that records and generates nothing: every site (its
//! macro taken out, a placeholder left for `splice`), every `let` and local,
//! the names each site's deferred code uses, what it evaluates now, the
//! lints it raises, and the `process::exit` calls.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Macro, Pat, Stmt};

use crate::args::Lint;
use crate::diag::{self, Nested};
use crate::imports::Names;
use crate::lints::{self, Warning};
use crate::lower::Lowering;
pub use crate::lower::{Capture, Exit, Lowered, NowValue, Operand};
use crate::scope::{BindAt, ScopeId, ScopeWalk, Scopes, pat_bindings};
use crate::site::{Kind, Site};
use crate::syntax::{self, is_recover_call};

/// Index of a site in [`Analysis::sites`] (the order of the body).
pub type SiteId = usize;
/// Index of a `let` in [`Analysis::lets`].
pub type LetId = usize;
/// Index of a binding in [`Analysis::locals`].
pub type LocalId = usize;

pub struct Analysis {
    pub sites: Vec<SiteInfo>,
    pub lets: Vec<LetInfo>,
    pub locals: Vec<LocalInfo>,
    /// Lets, sites and `exit` calls in the order of the body.
    pub events: Vec<Event>,
    /// Errors in body code (`recover()` outside deferred code), in order.
    pub errors: Vec<syn::Error>,
    /// The body's own items that some site's code names.
    pub items_named: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
pub enum Event {
    Let(LetId),
    Site(SiteId),
    Exit(Span),
    /// `recover()` in the body: a handler's, or a mistake (linted).
    BodyRecover(Span),
}

/// A name the body binds (a `let`, a closure parameter, a match arm, ...;
/// in an `async fn` also a parameter).
pub struct LocalInfo {
    /// The name as declared: rustc's help about the binding points there.
    pub decl: Ident,
    /// Lent back to the body as `&mut` once adopted: declared `mut`, or a
    /// single name holding a `&mut`.
    pub lent_mut: bool,
    pub declared_mut: bool,
    pub let_id: Option<LetId>,
    /// Scope depth, loop depth and scope where it is declared.
    pub depth: usize,
    pub loops: usize,
    pub scope: ScopeId,
    /// Deferred code takes a copy (an `async fn`'s `Copy` parameter that
    /// cannot change): the body keeps the plain value.
    pub copied: bool,
}

pub struct LetInfo {
    pub in_loop: bool,
}

/// Where the site stood: a statement is replaced by statements, an
/// expression by a block expression.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Position {
    Statement,
    Expression,
}

pub struct SiteInfo {
    pub kind: Kind,
    pub path: syn::Path,
    pub position: Position,
    /// Inside a closure or async block of the body (the site is an error).
    pub nested: Option<Nested>,
    pub loops: usize,
    pub depth: usize,
    /// The scopes around the site, outermost first.
    pub scopes: Vec<ScopeId>,
    pub warnings: Vec<Warning>,
    pub outcome: Result<Lowered, syn::Error>,
}

/// What a name resolves to at a point of the body.
#[derive(Clone, Copy)]
pub enum Resolved {
    Param,
    Local(LocalId),
}

/// The prefix of placeholder identifiers; `splice` replaces every one.
pub const SITE_PLACEHOLDER: &str = "__fndefer_placeholder_site";
pub const LET_PLACEHOLDER: &str = "__fndefer_placeholder_let";

fn placeholder(prefix: &str, index: usize) -> Expr {
    Expr::Verbatim(format_ident!("{}{}", prefix, index).into_token_stream())
}

/// The index a placeholder expression stands for.
pub fn placeholder_index(expr: &Expr, prefix: &str) -> Option<usize> {
    let Expr::Verbatim(tokens) = expr else {
        return None;
    };
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(proc_macro2::TokenTree::Ident(ident)), None) => {
            ident.to_string().strip_prefix(prefix)?.parse().ok()
        }
        _ => None,
    }
}

/// The parameters of the function (or closure) whose body is analysed.
pub struct Parameter<'a> {
    pub pat: &'a Pat,
    pub holds_mut_ref: bool,
    /// A single name, not `mut`, of a `Copy` type written out (a number,
    /// `bool`, `char`, a shared reference): it cannot change, so deferred
    /// code takes a copy instead of adopting it.
    pub copied: bool,
}

/// The names the body starts with.
#[derive(Default)]
pub struct Bound<'a> {
    /// `self` is a parameter.
    pub receiver: bool,
    /// Go's named results, used in place like parameters.
    pub named: &'a [Ident],
    pub params: &'a [Parameter<'a>],
    /// In an `async fn` the parameters are locals of the future, adopted
    /// like body locals (`self` stays a parameter).
    pub params_are_locals: bool,
}

/// Analyses `block`, taking its sites out. `infallible`: the written result
/// type when it has no failure case, for which `errdefer!` is an error at its
/// path; `item_names`: the items of the body's own block.
pub fn body(
    names: Names,
    bound: &Bound,
    infallible: Option<&str>,
    item_names: &[String],
    block: &mut syn::Block,
) -> Analysis {
    let Bound {
        receiver,
        named,
        params,
        params_are_locals,
    } = *bound;
    let mut analyzer = Analyzer {
        item_names,
        names,
        infallible,
        scopes: Scopes::new(),
        analysis: Analysis {
            sites: Vec::new(),
            lets: Vec::new(),
            locals: Vec::new(),
            events: Vec::new(),
            errors: Vec::new(),
            items_named: Vec::new(),
        },
        nested: None,
        endless_loops: Vec::new(),
    };
    if receiver {
        analyzer.scopes.bind("self".to_owned(), Resolved::Param);
    }
    // Named results are used in place, like parameters.
    for name in named {
        analyzer.scopes.bind(name.to_string(), Resolved::Param);
    }
    for param in params {
        if params_are_locals {
            let ids = analyzer.bind_names(param.pat, None, param.holds_mut_ref);
            for id in ids {
                analyzer.analysis.locals[id].copied = param.copied;
            }
        } else {
            for (ident, _) in pat_bindings(param.pat) {
                analyzer.scopes.bind(ident.to_string(), Resolved::Param);
            }
        }
    }
    analyzer.visit_block_mut(block);
    analyzer.analysis
}

struct Analyzer<'a> {
    names: Names,
    /// The names of the items declared in the body's own block.
    item_names: &'a [String],
    infallible: Option<&'a str>,
    scopes: Scopes<Resolved>,
    analysis: Analysis,
    /// Inside a closure or async block of the body.
    nested: Option<Nested>,
    /// One entry per enclosing `loop {}`: whether it has no way out.
    endless_loops: Vec<bool>,
}

impl Analyzer<'_> {
    fn bind_names(
        &mut self,
        pat: &Pat,
        let_id: Option<LetId>,
        holds_mut_ref: bool,
    ) -> Vec<LocalId> {
        let typed_mut_ref = matches!(pat, Pat::Type(typed) if syntax::is_mut_ref_type(&typed.ty));
        let holds_mut_ref = holds_mut_ref || typed_mut_ref;
        let bindings = pat_bindings(pat);
        let single = bindings.len() == 1;
        let scope = *self.scopes.chain().last().unwrap_or(&0);
        let mut ids = Vec::new();
        for (ident, declared_mut) in bindings {
            let id = self.analysis.locals.len();
            self.analysis.locals.push(LocalInfo {
                lent_mut: declared_mut || (single && holds_mut_ref),
                declared_mut,
                let_id,
                depth: self.scopes.depth(),
                loops: self.scopes.loops,
                scope,
                decl: ident.clone(),
                copied: false,
            });
            self.scopes.bind(ident.to_string(), Resolved::Local(id));
            ids.push(id);
        }
        ids
    }

    /// Records a site met in the body and returns its placeholder.
    /// `as_value`: `Some(tried)` when the site is used as a value.
    fn site(
        &mut self,
        kind: Kind,
        mac: &Macro,
        position: Position,
        as_value: Option<bool>,
    ) -> Expr {
        let id = self.analysis.sites.len();
        if !self.item_names.is_empty() {
            let mut words = Vec::new();
            syntax::mentioned_names(mac.tokens.clone(), &mut words);
            for name in self.item_names {
                if words.contains(name) && !self.analysis.items_named.contains(name) {
                    self.analysis.items_named.push(name.clone());
                }
            }
        }
        let mut warnings = Vec::new();
        let outcome = match (self.nested, as_value) {
            (None, _) if kind == Kind::ErrDefer && self.infallible.is_some() => Err(
                diag::errdefer_needs_fallible(&mac.path, self.infallible.unwrap_or_default()),
            ),
            (Some(nested), _) => Err(diag::nested_site(kind, nested, &mac.path)),
            (None, Some(tried)) => Err(diag::site_as_value(kind, mac, tried)),
            (None, None) => Site::parse(kind, mac).and_then(|site| {
                if self.endless_loops.iter().any(|endless| *endless) {
                    warnings.push(Warning::new(
                        Lint::InfiniteLoop,
                        site.span(),
                        lints::INFINITE_LOOP,
                    ));
                } else if self.scopes.loops > 0 {
                    warnings.push(Warning::new(Lint::Loop, site.span(), lints::LOOP));
                }
                let mut lowering = Lowering {
                    names: self.names,
                    scopes: &self.scopes,
                    now: Vec::new(),
                    captures: Vec::new(),
                    params_used: Vec::new(),
                    warnings: &mut warnings,
                    errors: &mut self.analysis.errors,
                };
                let exit = lowering.form(site.form)?;
                Ok(Lowered {
                    now: lowering.now,
                    captures: lowering.captures,
                    params_used: lowering.params_used,
                    exit,
                })
            }),
        };
        self.analysis.sites.push(SiteInfo {
            kind,
            path: mac.path.clone(),
            position,
            nested: self.nested,
            loops: self.scopes.loops,
            depth: self.scopes.depth(),
            scopes: self.scopes.chain(),
            warnings,
            outcome,
        });
        self.analysis.events.push(Event::Site(id));
        placeholder(SITE_PLACEHOLDER, id)
    }

    /// After statement `index` of the block `scope`: which captures of the
    /// sites met in it name a local of this block that a later statement
    /// mentions too (then it must be adopted where it is declared).
    fn look_ahead(&mut self, scope: ScopeId, sites_before: usize, later: &[Stmt]) {
        let mut mentioned: Option<Vec<String>> = None;
        let Analysis { sites, locals, .. } = &mut self.analysis;
        for site in &mut sites[sites_before..] {
            let Ok(lowered) = &mut site.outcome else {
                continue;
            };
            for capture in &mut lowered.captures {
                let local = &locals[capture.local];
                if local.scope != scope || site.depth <= local.depth {
                    continue;
                }
                let names = mentioned.get_or_insert_with(|| {
                    let mut names = Vec::new();
                    for stmt in later {
                        syntax::mentioned_names(stmt.to_token_stream(), &mut names);
                    }
                    names
                });
                capture.mentioned_later = names.iter().any(|name| capture.ident == name);
            }
        }
    }
}

impl ScopeWalk for Analyzer<'_> {
    type Binding = Resolved;

    fn scopes(&mut self) -> &mut Scopes<Resolved> {
        &mut self.scopes
    }

    fn bind(&mut self, pat: &Pat, at: BindAt) {
        match at {
            BindAt::Let { holds_mut_ref } => {
                let let_id = self.analysis.lets.len();
                self.bind_names(pat, Some(let_id), holds_mut_ref);
                self.analysis.lets.push(LetInfo {
                    in_loop: self.scopes.loops > 0,
                });
                self.analysis.events.push(Event::Let(let_id));
            }
            BindAt::Pattern => {
                self.bind_names(pat, None, false);
            }
        }
    }

    /// `Some(_) => defer!(..),` is a site like a statement.
    fn visit_arm_body(&mut self, body: &mut Expr) {
        if self.nested.is_none()
            && let Some((kind, mac)) = syntax::site_of_expr(body, self.names)
        {
            let mac = mac.clone();
            *body = self.site(kind, &mac, Position::Expression, None);
            return;
        }
        self.visit_expr_mut(body);
    }
}

impl VisitMut for Analyzer<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scopes.push();
        let scope = *self.scopes.chain().last().unwrap_or(&0);
        let mut stmts = std::mem::take(&mut block.stmts);
        block.stmts.reserve(stmts.len());
        for index in 0..stmts.len() {
            let sites_before = self.analysis.sites.len();
            let mut stmt = std::mem::replace(
                &mut stmts[index],
                Stmt::Expr(Expr::Verbatim(TokenStream::new()), None),
            );
            if let Some((kind, mac)) = syntax::site_of_stmt(&stmt, self.names) {
                let mac = mac.clone();
                let placeholder = self.site(kind, &mac, Position::Statement, None);
                block.stmts.push(Stmt::Expr(placeholder, None));
                continue;
            }
            match &mut stmt {
                Stmt::Local(local) => {
                    self.scoped_local(local);
                    let let_id = self.analysis.lets.len() - 1;
                    block.stmts.push(stmt);
                    block
                        .stmts
                        .push(Stmt::Expr(placeholder(LET_PLACEHOLDER, let_id), None));
                }
                Stmt::Item(_) => block.stmts.push(stmt),
                _ => {
                    self.visit_stmt_mut(&mut stmt);
                    block.stmts.push(stmt);
                }
            }
            if self.analysis.sites.len() > sites_before {
                self.look_ahead(scope, sites_before, &stmts[index + 1..]);
            }
        }
        self.scopes.pop();
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            // A site reached here is an operand (statements, block tails and
            // match arms are handled before): `defer!(..)?`, `defer!(..) + x`.
            // The whole `defer!(..)?` is replaced, so `?` on `()` adds no error.
            Expr::Try(try_expr) if self.nested.is_none() => {
                if let Some((kind, mac)) = syntax::site_of_expr(&try_expr.expr, self.names) {
                    let mac = mac.clone();
                    *expr = self.site(kind, &mac, Position::Expression, Some(true));
                } else {
                    visit_mut::visit_expr_mut(self, expr);
                }
            }
            Expr::Macro(mac) => {
                if let Some(kind) = Kind::of(&mac.mac, self.names) {
                    let mac = mac.mac.clone();
                    *expr = self.site(kind, &mac, Position::Expression, Some(false));
                }
            }
            Expr::Call(_) if is_recover_call(expr, self.names) => {
                use syn::spanned::Spanned;
                self.analysis.events.push(Event::BodyRecover(expr.span()));
            }
            Expr::Call(call) => {
                // A bare `exit` bound in the function (a closure) is not std's.
                let local_callee = match &*call.func {
                    Expr::Path(path) => path
                        .path
                        .get_ident()
                        .is_some_and(|ident| self.scopes.lookup(&ident.to_string()).is_some()),
                    _ => false,
                };
                // So is one the body declares (`fn exit`, an item).
                let bare_is_std =
                    self.names.exit && !self.item_names.iter().any(|name| name == "exit");
                if syntax::is_process_exit(call, bare_is_std) && !local_callee {
                    let at = syntax::last_segment_at(&call.func);
                    self.analysis.events.push(Event::Exit(at));
                }
                visit_mut::visit_expr_mut(self, expr);
            }
            Expr::Closure(_) => {
                let outer = self.nested.replace(Nested::Closure);
                self.scoped_expr(expr);
                self.nested = outer;
            }
            Expr::Async(block) => {
                let outer = self.nested.replace(Nested::AsyncBlock);
                self.visit_block_mut(&mut block.block);
                self.nested = outer;
            }
            Expr::Loop(loop_expr) => {
                self.endless_loops
                    .push(!syntax::can_leave(&loop_expr.body, self.names));
                self.scoped_expr(expr);
                self.endless_loops.pop();
            }
            _ => {
                if !self.scoped_expr(expr) {
                    visit_mut::visit_expr_mut(self, expr);
                }
            }
        }
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        self.scoped_local(local);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(mut block: syn::Block) -> Analysis {
        body(Names::FNDEFER, &Bound::default(), None, &[], &mut block)
    }

    #[test]
    fn records_sites_lets_and_captures_in_order() {
        let analysis = analyse(syn::parse_quote!({
            let file = open();
            defer!(file.close());
            let n = 1;
            if n > 0 {
                defer!(|| log(n));
            }
            use_it(n);
        }));
        let events: Vec<String> = analysis.events.iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(events, ["Let(0)", "Site(0)", "Let(1)", "Site(1)"]);
        let captures = |site: usize| -> Vec<(String, bool)> {
            let Ok(lowered) = &analysis.sites[site].outcome else {
                panic!("site {site} failed")
            };
            lowered
                .captures
                .iter()
                .map(|c| (c.ident.to_string(), c.mentioned_later))
                .collect()
        };
        assert_eq!(captures(0), [("file".to_owned(), false)]);
        // `n` is used after the `if` that defers it: adopted at its `let`.
        assert_eq!(captures(1), [("n".to_owned(), true)]);
    }

    #[test]
    fn sites_in_closures_and_values_are_errors() {
        let analysis = analyse(syn::parse_quote!({
            let f = || {
                defer!(a());
            };
            let x = defer!(b());
        }));
        assert!(analysis.sites.iter().all(|site| site.outcome.is_err()));
        assert_eq!(analysis.sites[0].nested, Some(Nested::Closure));
    }

    #[test]
    fn arguments_are_evaluated_now_and_places_at_exit() {
        let analysis = analyse(syn::parse_quote!({
            let mut out = Vec::new();
            defer!(write(&mut out, make(), |x| x + 1));
        }));
        let Ok(lowered) = &analysis.sites[0].outcome else {
            panic!()
        };
        let Exit::Call { callee, args, .. } = &lowered.exit else {
            panic!()
        };
        assert_eq!(*callee, Operand::AtExit);
        assert_eq!(args, &[Operand::AtExit, Operand::Now(0), Operand::AtExit]);
        assert_eq!(lowered.captures.len(), 1);
    }
}
