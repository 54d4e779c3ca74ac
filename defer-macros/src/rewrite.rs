//! Body analysis and rewriting: finds every `defer!` / `errdefer!`, resolves
//! the names its deferred code uses, and replaces it with the code that fills
//! its slot at the defer point. What each site runs at exit is kept for the
//! epilogue (`expand.rs`).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro, Pat, Stmt, Token};

use crate::args::Lint;
use crate::lints::{self, Lints};
use crate::scope::{self, Adoption, Binding, FreeNames, Scopes, hidden};
use crate::site::{Form, Kind, Param, Site};

/// How the function's deferred calls are recorded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// At most 8 sites, none in a loop: one `Option` slot per site, whose
    /// discriminant is the site's "ran" bit.
    Static,
    /// A stack of site ids plus a queue per site.
    Dynamic,
}

/// A site as the epilogue needs it.
pub struct Planned {
    pub id: usize,
    /// Whether the exit code touches nothing but its slot, statics and items,
    /// so it can run when an `async fn`'s future is dropped.
    pub on_cancel: bool,
    /// Whether the slot holds values (else it is a flag).
    pub has_values: bool,
    /// In a dynamic frame, a site that adopts locals keeps its values in a
    /// queue of its own: the body borrows them, which must not lock the
    /// frame's one defer stack.
    pub own_queue: bool,
    /// `let (__v0, mut x) = __v;` and the borrows of shared locals, then the
    /// deferred code; runs with `__frame: &mut Frame<R>` in scope.
    pub exit: TokenStream,
}

pub struct Rewriter<'a> {
    pub scopes: Scopes,
    pub shape: Shape,
    pub planned: Vec<Planned>,
    pub errors: Vec<syn::Error>,
    pub lints: Lints<'a>,
    /// One entry per enclosing `loop {}`: whether it has no way out.
    endless_loops: Vec<bool>,
    /// Inside a closure or async block of the body: `defer!` is an error.
    nested: Option<&'static str>,
    /// In an `async fn` the slots live in the cancel guard's tuple
    /// (`__guard.slots.N`), so dropping the future can still run them.
    pub guarded_slots: bool,
    /// Dynamic frame: the sites with a queue of their own, in order.
    pub queued_sites: Vec<usize>,
    /// `let` statements are numbered as they are met; these get
    /// `#[allow(unused_mut)]` (a deferred call adopted their `mut` local).
    silenced_lets: Vec<usize>,
    lets: usize,
    /// Pass 2: the `let` statements (by id) whose local is adopted right
    /// where it is declared, because a deferred call in a deeper block or
    /// loop names it (see `pre_adoption`).
    pub pre_adopt: std::collections::BTreeSet<usize>,
    /// Pass 1's finding: the `let`s that need that.
    pub pre_adopt_wanted: std::collections::BTreeSet<usize>,
    /// Pass 1: adoptions made in a block deeper than the local's `let`, as
    /// `(let id, name)`; needed only if the name is used after that block.
    nested_adoptions: Vec<(usize, String)>,
    /// For each `let` (by id), whether a loop encloses it.
    pub let_in_loop: Vec<bool>,
}

impl<'a> Rewriter<'a> {
    pub fn new(scopes: Scopes, shape: Shape, lints: Lints<'a>) -> Self {
        Rewriter {
            scopes,
            shape,
            planned: Vec::new(),
            errors: Vec::new(),
            lints,
            endless_loops: Vec::new(),
            nested: None,
            guarded_slots: false,
            queued_sites: Vec::new(),
            silenced_lets: Vec::new(),
            lets: 0,
            pre_adopt: std::collections::BTreeSet::new(),
            pre_adopt_wanted: std::collections::BTreeSet::new(),
            nested_adoptions: Vec::new(),
            let_in_loop: Vec::new(),
        }
    }

    /// Adopts the local a `let` declares right after the `let`, as a site of
    /// its own with no deferred code: a deferred call in a deeper block or
    /// loop names it, and adopting it there would move it out of the block
    /// (or out of the loop's next iteration) that still uses it. The later
    /// deferred calls borrow it from this site's slot, like any shared local.
    fn pre_adoption(&mut self, pat: &Pat) -> Option<TokenStream> {
        let ident = match pat {
            Pat::Ident(pat) if pat.subpat.is_none() => pat.ident.clone(),
            Pat::Type(typed) => match &*typed.pat {
                Pat::Ident(pat) if pat.subpat.is_none() => pat.ident.clone(),
                _ => return None,
            },
            _ => return None,
        };
        let mut plan = SitePlan::new(Kind::Defer, None, ident.span());
        plan.name(self, &ident);
        let id = self.planned.len();
        let (registration, planned) = plan.finish(self, id, TokenStream::new());
        self.planned.push(planned);
        Some(registration)
    }

    /// Rewrites one site; returns the statements that replace it.
    fn site(&mut self, kind: Kind, mac: &Macro) -> TokenStream {
        if let Some(what) = self.nested {
            let name = kind.name();
            let noun = what.trim_start_matches("an ").trim_start_matches("a ");
            let own_scope = if noun == "closure" {
                format!("with `defer_scope!(|| {{ {name}!(..); .. }})`")
            } else {
                "by moving its code into a `#[with_defer] async fn`".to_owned()
            };
            let message = format!(
                "`{name}!` inside {what} of a `#[with_defer]` function would run when the \
                 function returns, not when the {noun} does; give the {noun} its own defer \
                 scope {own_scope}, or move the `{name}!` out of it"
            );
            return with_path_used(syn::Error::new_spanned(&mac.path, message), &mac.path);
        }
        match Site::parse(kind, mac) {
            Ok(site) => self.plan(site),
            Err(error) => with_path_used(error, &mac.path),
        }
    }

    fn plan(&mut self, site: Site) -> TokenStream {
        let id = self.planned.len();
        let mut plan = SitePlan::new(site.kind, Some(site.path.clone()), site.span);
        if self.endless_loops.iter().any(|endless| *endless) {
            self.lints
                .warn(Lint::InfiniteLoop, site.span, lints::INFINITE_LOOP);
        } else if self.scopes.loops > 0 {
            self.lints.warn(Lint::Loop, site.span, lints::LOOP);
        }
        let code = match site.form {
            Form::Block(body) => plan.deferred_code(self, Param::None, body, false),
            Form::Closure { param, body, moved } => plan.deferred_code(self, param, body, moved),
            Form::Call(call) => plan.call(self, call),
            Form::MethodCall(call) => plan.method_call(self, call),
            Form::FormatMacro(mac) => plan.format_macro(self, mac),
        };
        let code = match code {
            Ok(code) => code,
            Err(error) => return with_path_used(error, &site.path),
        };
        let (registration, exit) = plan.finish(self, id, code);
        self.planned.push(exit);
        registration
    }
}

/// What one site evaluates now and what it runs at exit.
struct SitePlan {
    kind: Kind,
    /// The user's `defer` / `errdefer` path, invoked once more (expanding to
    /// nothing) so their `use fndefer::defer;` stays used; none for the
    /// pseudo-site of a pre-adopted local.
    path: Option<syn::Path>,
    span: Span,
    /// Expressions evaluated at the defer point, bound at exit as `__v{i}`.
    now: Vec<TokenStream>,
    /// Body locals moved into the slot: the name as used, whether it is lent
    /// back as `&mut`, whether its `mut` needs a `touch_mut` to count as used.
    adopted: Vec<(syn::Ident, bool, bool)>,
    /// The `let` statements (by id) that get `#[allow(unused_mut)]`.
    silenced_lets: Vec<usize>,
    /// For each adopted local, its name located at the user's declaration:
    /// the patterns that rebind it use this, so rustc's help about the
    /// binding ("consider changing this to be mutable") points at the `let`.
    declared_at: Vec<syn::Ident>,
    /// Locals an earlier site adopted, borrowed from its slot at exit.
    shared: Vec<(syn::Ident, Adoption)>,
    /// The `errdefer!` condition is already part of the code.
    conditioned: bool,
    /// The exit code uses a parameter (or `self`) in place.
    uses_parameter: bool,
    /// Adopted locals declared in a shallower block (`(let id, name)`) or
    /// outside an enclosing loop (`loop_adopted`): see `pre_adoption`.
    nested_adopted: Vec<(usize, String)>,
    loop_adopted: Vec<usize>,
}

impl SitePlan {
    fn new(kind: Kind, path: Option<syn::Path>, span: Span) -> Self {
        SitePlan {
            kind,
            path,
            span,
            now: Vec::new(),
            adopted: Vec::new(),
            declared_at: Vec::new(),
            silenced_lets: Vec::new(),
            shared: Vec::new(),
            conditioned: false,
            uses_parameter: false,
            nested_adopted: Vec::new(),
            loop_adopted: Vec::new(),
        }
    }

    /// Evaluates `expr` at the defer point; returns the name it has at exit.
    fn now(&mut self, expr: impl ToTokens) -> TokenStream {
        let name = hidden(&format!("__v{}", self.now.len()));
        self.now.push(expr.into_token_stream());
        name.into_token_stream()
    }

    /// Deferred code names `ident`: adopt it if it is a body local.
    fn name(&mut self, rewriter: &Rewriter, ident: &syn::Ident) {
        let key = ident.to_string();
        match rewriter.scopes.lookup(&key) {
            Some(Binding::Local {
                mutable,
                declared_mut,
                decl,
                let_id,
                depth,
                loops,
            }) if !self.adopted.iter().any(|(name, ..)| *name == key) => {
                if let Some(let_id) = let_id {
                    if rewriter.scopes.loops > loops {
                        self.loop_adopted.push(let_id);
                    } else if rewriter.scopes.depth() > depth {
                        self.nested_adopted.push((let_id, key.clone()));
                    }
                }
                // The user's `mut` is used through the lent-back `&mut`,
                // which rustc's unused_mut cannot see: a `let mut` gets
                // `#[allow(unused_mut)]`; other patterns a `touch_mut` (a
                // borrow, so it would add an error when `x` is borrowed).
                let touch = match let_id {
                    Some(let_id) if declared_mut => {
                        self.silenced_lets.push(let_id);
                        false
                    }
                    _ => declared_mut,
                };
                self.adopted.push((ident.clone(), mutable, touch));
                // Same name and hygiene, located at the user's `let`.
                let mut at_decl = ident.clone();
                at_decl.set_span(ident.span().located_at(decl));
                self.declared_at.push(at_decl);
            }
            Some(Binding::Adopted(adoption))
                if !self.shared.iter().any(|(name, _)| *name == key) =>
            {
                self.shared.push((ident.clone(), adoption));
            }
            Some(Binding::Local { .. } | Binding::Adopted(_)) => {}
            Some(Binding::Param) => self.uses_parameter = true,
            None => {}
        }
    }

    /// A place used at exit (`x`, `&x.y`): adopt its root if it is a local.
    /// Returns false when the expression is no such place.
    fn place(&mut self, rewriter: &Rewriter, expr: &Expr) -> bool {
        if scope::is_item_place(expr) {
            return true;
        }
        match scope::place_root(expr) {
            Some(root) => {
                self.name(rewriter, root);
                true
            }
            None => false,
        }
    }

    /// A call argument: `&place` is used in place at exit (its root adopted),
    /// anything else is evaluated now, as Go evaluates arguments.
    fn argument(&mut self, rewriter: &mut Rewriter, arg: Expr) -> TokenStream {
        if let Expr::Reference(reference) = &arg
            && self.place(rewriter, &reference.expr)
        {
            return arg.into_token_stream();
        }
        // A non-`move` closure argument is a Go function literal: it captures
        // variables, not values, so it is built at exit and the locals it
        // names are adopted (`defer!(LOG.with(|l| l.push(i)))` in a loop).
        if let Expr::Closure(closure) = &arg
            && closure.capture.is_none()
        {
            let mut names = FreeNames::new();
            names.visit_expr_closure(closure);
            for ident in &names.found {
                self.name(rewriter, ident);
            }
            return arg.into_token_stream();
        }
        if is_recover_call(&arg) {
            rewriter
                .lints
                .warn(Lint::ImmediateRecover, arg.span(), lints::IMMEDIATE_RECOVER);
            return self.now(recover_now(&arg));
        }
        if let Some(span) = elapsed_at(&arg) {
            rewriter
                .lints
                .warn(Lint::EagerTime, span, lints::EAGER_TIME);
        }
        check_body_code(rewriter, &arg);
        self.now(arg)
    }

    fn call(
        &mut self,
        rewriter: &mut Rewriter,
        mut call: syn::ExprCall,
    ) -> syn::Result<TokenStream> {
        if call.args.is_empty() && is_recover_call(&Expr::Call(call.clone())) {
            rewriter.lints.warn(
                Lint::ImmediateRecover,
                last_segment_at(&call.func),
                lints::DEFERRED_RECOVER,
            );
            // The lint says it all: no `unused_must_use` (whose `let _ =`
            // help is no valid `defer!` input) on top.
            return Ok(quote!(let _ = #call;));
        }
        let callee_at_exit = match &*call.func {
            Expr::Path(path) if path.qself.is_none() => match path.path.get_ident() {
                Some(ident) => match rewriter.scopes.lookup(&ident.to_string()) {
                    Some(Binding::Local { .. } | Binding::Adopted(_)) => false,
                    Some(Binding::Param) => {
                        self.uses_parameter = true;
                        true
                    }
                    None => true,
                },
                None => true,
            },
            _ => false,
        };
        if !callee_at_exit {
            // `defer!(trace("x")())` evaluating `trace("x")` now is the Go
            // idiom's point, so a call of a call is not linted.
            let callee = self.now(&call.func);
            *call.func = expr_of(callee);
        }
        call.args = self.arguments(rewriter, std::mem::take(&mut call.args));
        Ok(quote!(#call;))
    }

    fn method_call(
        &mut self,
        rewriter: &mut Rewriter,
        mut call: syn::ExprMethodCall,
    ) -> syn::Result<TokenStream> {
        if !self.place(rewriter, &call.receiver) {
            if matches!(
                &*call.receiver,
                Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)
            ) {
                rewriter.lints.warn(
                    Lint::CallChain,
                    called_now_at(&call.receiver),
                    lints::CALL_CHAIN,
                );
            }
            check_body_code(rewriter, &call.receiver);
            let receiver = self.now(&call.receiver);
            *call.receiver = expr_of(receiver);
        }
        call.args = self.arguments(rewriter, std::mem::take(&mut call.args));
        Ok(quote!(#call;))
    }

    fn arguments(
        &mut self,
        rewriter: &mut Rewriter,
        args: Punctuated<Expr, Token![,]>,
    ) -> Punctuated<Expr, Token![,]> {
        args.into_pairs()
            .map(|pair| {
                let (arg, comma) = pair.into_tuple();
                let arg = expr_of(self.argument(rewriter, arg));
                syn::punctuated::Pair::new(arg, comma)
            })
            .collect()
    }

    /// `println!`, `write!` and the rest: the formatted text is made now, as
    /// Go's `defer fmt.Println(x)` evaluates `x` now; the output happens at exit.
    fn format_macro(&mut self, rewriter: &mut Rewriter, mac: Macro) -> syn::Result<TokenStream> {
        let name = mac
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default();
        let args = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)?;
        let mut args: Vec<Expr> = args.into_iter().collect();
        let path = &mac.path;
        let bang = &mac.bang_token;
        let mut destination = None;
        if name == "write" || name == "writeln" {
            if args.is_empty() {
                return Err(syn::Error::new_spanned(
                    &mac,
                    format!("`{name}!` needs a destination: `{name}!(out, \"..\")`"),
                ));
            }
            let dest = args.remove(0);
            destination = Some(if self.place(rewriter, &dest) {
                dest.into_token_stream()
            } else {
                self.now(&dest)
            });
        }
        let dest = destination.iter();
        let literal_only = match args.as_slice() {
            [] => true,
            [
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                }),
            ] => !lit.value().contains('{'),
            _ => false,
        };
        let span = mac.span();
        if literal_only {
            return Ok(quote_spanned!(span=> #path #bang (#(#dest,)* #(#args),*);));
        }
        for arg in &args {
            // `println!("took {:?}", start.elapsed())`: formatted now.
            if let Some(span) = elapsed_at(arg) {
                rewriter
                    .lints
                    .warn(Lint::EagerTime, span, lints::EAGER_TIME);
            }
            check_body_code(rewriter, arg);
        }
        let text = self.now(quote_spanned! {span=> ::std::format!(#(#args),*) });
        if name == "format" {
            return Ok(quote!(::core::mem::drop(#text);));
        }
        Ok(quote_spanned!(span=> #path #bang (#(#dest,)* "{}", #text);))
    }

    /// Closures and blocks: late-bound code that runs at exit. A `move`
    /// closure is built now and called at exit.
    fn deferred_code(
        &mut self,
        rewriter: &mut Rewriter,
        param: Param,
        mut body: Expr,
        moved: bool,
    ) -> syn::Result<TokenStream> {
        check_deferred_code(&body)?;
        let mut recover = RecoverInDeferred;
        recover.visit_expr_mut(&mut body);
        if !moved {
            let mut names = FreeNames::new();
            names.visit_expr(&body);
            for ident in &names.found {
                self.name(rewriter, ident);
            }
        }
        let frame = hidden("__frame");
        // An expected type, not a `()` pattern: a non-unit body is reported at
        // the user's code as "expected `()`, found `T`", and `!` still coerces.
        let unit = quote_spanned!(body.span()=> ());
        let code = match param {
            Param::None => quote!(#[allow(clippy::let_unit_value)] let _: #unit = #body;),
            // The slot is named with a hidden identifier located at the user's
            // parameter, so a wrong annotation (`|ret: Option<T>|`) is
            // reported there and not at `#[with_defer]`.
            Param::Result(pat) => {
                let at = pat.span();
                let frame_at =
                    syn::Ident::new(&frame.to_string(), Span::mixed_site().located_at(at));
                let slot = quote_spanned!(at=> &mut #frame_at.ret);
                quote! {
                    let #pat = #slot;
                    #[allow(clippy::let_unit_value)]
                    let _: #unit = #body;
                }
            }
            // `errdefer!(|e| ..)` runs only when there is an error to hand over.
            Param::Error(pat) => {
                self.conditioned = true;
                let error = hidden("__error");
                let error_at = syn::Ident::new(
                    &error.to_string(),
                    Span::mixed_site().located_at(pat.span()),
                );
                quote_spanned! {self.span=>
                    if let ::core::option::Option::Some(#error) = ::fndefer::__private::error_mut(&mut #frame.ret, &#frame.panic) {
                        let #pat = #error_at;
                        #[allow(clippy::let_unit_value)]
                        let _: #unit = #body;
                    }
                }
            }
        };
        if !moved {
            return Ok(code);
        }
        let code = self.when_failing(code);
        let marker = hidden("__marker");
        let stored = self.now(quote! {
            ::fndefer::__private::deferred(&#marker, move |#frame| { #code })
        });
        Ok(quote!(#stored(#frame);))
    }

    /// Wraps `errdefer!` code in its failure check, once.
    fn when_failing(&mut self, code: TokenStream) -> TokenStream {
        if self.conditioned || self.kind == Kind::Defer {
            return code;
        }
        self.conditioned = true;
        let frame = hidden("__frame");
        quote_spanned! {self.span=>
            if ::fndefer::__private::is_failing(&#frame.ret, &#frame.panic) { #code }
        }
    }

    /// The registration statements, and the site's exit code.
    fn finish(
        mut self,
        rewriter: &mut Rewriter,
        id: usize,
        code: TokenStream,
    ) -> (TokenStream, Planned) {
        let code = self.when_failing(code);
        let first_adopted = self.now.len();
        let values: Vec<TokenStream> = self
            .now
            .iter()
            .cloned()
            .chain(
                self.adopted
                    .iter()
                    .map(|(ident, ..)| ident.to_token_stream()),
            )
            .collect();
        let has_values = !values.is_empty();
        // Where this site's slot is in the body: a local of the function,
        // or in an `async fn` a field of the cancel guard's tuple (static:
        // one slot per site; dynamic: the one defer stack).
        let own_queue = rewriter.shape == Shape::Dynamic && !self.adopted.is_empty();
        if own_queue {
            rewriter.queued_sites.push(id);
        }
        let guard = hidden("__guard");
        let slot = match (rewriter.guarded_slots, rewriter.shape) {
            (false, _) => slot_name(rewriter.shape, id).into_token_stream(),
            (true, Shape::Static) => {
                let index = syn::Index::from(id);
                quote!(#guard.slots.#index)
            }
            (true, Shape::Dynamic) => quote!(#guard.slots.0),
        };
        let queue = if rewriter.guarded_slots {
            let index = syn::Index::from(rewriter.queued_sites.len());
            quote!(#guard.slots.#index)
        } else {
            queue_name(id).into_token_stream()
        };
        let variant = entry_variant(id);
        let entry = hidden("__Entry");
        let touched = self
            .adopted
            .iter()
            .filter(|(.., touch)| *touch)
            .map(|(ident, ..)| quote!(::fndefer::__private::touch_mut(&mut #ident);));
        rewriter.silenced_lets.append(&mut self.silenced_lets);
        let tuple = quote!((#(#values,)*));
        let adopted_ref = hidden("__adopted");
        let rebinds = self
            .declared_at
            .iter()
            .zip(&self.adopted)
            .enumerate()
            .map(|(index, (ident, (_, mutable, _)))| {
                let field = syn::Index::from(first_adopted + index);
                // `let mut x = &mut ..`, so `&mut x` still coerces to `&mut T`.
                if *mutable {
                    quote!(#[allow(unused_variables, unused_mut)] let mut #ident = &mut #adopted_ref.#field;)
                } else {
                    quote!(#[allow(unused_variables)] let #ident = &#adopted_ref.#field;)
                }
            });
        let store = match (rewriter.shape, has_values, self.adopted.is_empty()) {
            (Shape::Static, false, _) => quote!(#slot = ::core::option::Option::Some(());),
            (Shape::Static, true, true) => quote!(#slot = ::core::option::Option::Some(#tuple);),
            (Shape::Static, true, false) => quote!(let #adopted_ref = #slot.insert(#tuple);),
            (Shape::Dynamic, false, _) => quote!(#slot.push(#entry::#variant);),
            (Shape::Dynamic, true, true) => quote!(#slot.push(#entry::#variant(#tuple));),
            (Shape::Dynamic, true, false) => quote! {
                let #adopted_ref = #queue.push(#tuple);
                #slot.push(#entry::#variant);
            },
        };
        rewriter
            .pre_adopt_wanted
            .extend(self.loop_adopted.drain(..));
        rewriter.nested_adoptions.append(&mut self.nested_adopted);
        let path_used = self
            .path
            .as_ref()
            .map(|path| quote!(#path! { __fndefer_used }));
        let registration = quote! { #path_used #(#touched)* #store #(#rebinds)* };

        for (index, (ident, mutable, _)) in self.adopted.iter().enumerate() {
            rewriter.scopes.bind(
                ident.to_string(),
                Binding::Adopted(Adoption {
                    site: id,
                    field: first_adopted + index,
                    mutable: *mutable,
                }),
            );
        }

        // At exit: the slot's values by name, then borrows of shared locals.
        let value = hidden("__value");
        let bind_names =
            (0..first_adopted)
                // `mut`: a receiver evaluated now may be called with `&mut self`
                // (`defer!(make_conn().close())`).
                .map(|index| {
                    let name = hidden(&format!("__v{index}"));
                    quote!(mut #name)
                })
                .chain(self.declared_at.iter().zip(&self.adopted).map(
                    |(ident, (_, mutable, _))| {
                        if *mutable {
                            quote!(mut #ident)
                        } else {
                            quote!(#ident)
                        }
                    },
                ));
        let unpack = if has_values {
            quote!(#[allow(unused_mut, unused_variables)] let (#(#bind_names,)*) = #value;)
        } else {
            TokenStream::new()
        };
        // Shared locals: one borrow of each owner's slot, then a borrow of
        // each field (disjoint), so several names from one owner coexist.
        let mut owners: Vec<usize> = self.shared.iter().map(|(_, a)| a.site).collect();
        owners.sort_unstable();
        owners.dedup();
        let borrows = owners.into_iter().map(|site| {
            let owned = hidden(&format!("__owned{site}"));
            let access = match rewriter.shape {
                Shape::Static => {
                    let owner = slot_name(rewriter.shape, site);
                    quote!(#owner.as_mut())
                }
                // The owner's newest entry: what was pushed after it has
                // been popped already (LIFO).
                Shape::Dynamic => {
                    let owner = queue_name(site);
                    quote!(#owner.last_mut())
                }
            };
            let fields = self
                .shared
                .iter()
                .filter(|(_, adoption)| adoption.site == site)
                .map(|(ident, adoption)| {
                    let field = syn::Index::from(adoption.field);
                    if adoption.mutable {
                        quote!(#[allow(unused_variables, unused_mut)] let mut #ident = &mut #owned.#field;)
                    } else {
                        quote!(#[allow(unused_variables)] let #ident = &#owned.#field;)
                    }
                });
            // The owner runs after this site (LIFO), so its slot is full.
            quote! {
                let ::core::option::Option::Some(#owned) = #access else { return };
                #(#fields)*
            }
        });
        // The user's deferred code, with names it used before adoption now
        // bound to references (`&stats` of a borrowed `stats`): clippy's
        // needless_borrow would blame code that is right as written.
        let exit = quote! {
            #[allow(clippy::needless_borrow, clippy::diverging_sub_expression)]
            { #unpack #(#borrows)* #code }
        };
        self.now.clear();
        let on_cancel = !self.uses_parameter;
        (
            registration,
            Planned {
                id,
                on_cancel,
                has_values,
                own_queue,
                exit,
            },
        )
    }
}

/// Generated tokens as a syntax tree node, so that printing it inside the
/// user's expression adds no defensive parentheses (`Expr::Verbatim` gets
/// them, and rustc's `unused_parens` then blames the user's code).
fn expr_of(tokens: TokenStream) -> Expr {
    syn::parse2(tokens.clone()).unwrap_or(Expr::Verbatim(tokens))
}

/// A site's error, plus the invocation of the user's `defer` / `errdefer`
/// path that expands to nothing, so their import does not also warn
/// "unused import" under the error.
pub fn with_path_used(error: syn::Error, path: &syn::Path) -> TokenStream {
    let error = error.to_compile_error();
    quote!(#error #path! { __fndefer_used })
}

/// `errdefer!` in a function whose result is written as `()` (or absent) or
/// a primitive: each one becomes an error at its `errdefer` path, before
/// expansion, so the `Fallible` bound (kept for aliases the macro cannot see
/// through) adds no second error at `#[with_defer]`. Sites in closures and
/// async blocks keep their own error.
pub fn reject_errdefer(block: &mut syn::Block, output: &syn::ReturnType) {
    let Some(returns) = infallible_output(output) else {
        return;
    };
    struct Reject(String);
    impl Reject {
        fn error(&self, mac: &Macro) -> TokenStream {
            let message = format!(
                "`errdefer!` needs a function returning `Result` or `Option`; this function \
                 returns `{}`: use `defer!`",
                self.0
            );
            with_path_used(syn::Error::new_spanned(&mac.path, message), &mac.path)
        }
    }
    impl VisitMut for Reject {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            match expr {
                Expr::Macro(mac) if Kind::of(&mac.mac) == Some(Kind::ErrDefer) => {
                    let code = self.error(&mac.mac);
                    *expr = Expr::Verbatim(quote!(({ #code })));
                }
                Expr::Closure(_) | Expr::Async(_) => {}
                _ => visit_mut::visit_expr_mut(self, expr),
            }
        }
        fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
            if let Stmt::Macro(mac) = stmt
                && Kind::of(&mac.mac) == Some(Kind::ErrDefer)
            {
                *stmt = Stmt::Expr(Expr::Verbatim(self.error(&mac.mac)), None);
                return;
            }
            visit_mut::visit_stmt_mut(self, stmt);
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    }
    Reject(returns).visit_block_mut(block);
}

/// The written return type, when it is one with no failure case: `()` (or
/// none), a number, `bool`, `char`, `str` (`&str`). Anything else (an alias,
/// a generic) is left to the `Fallible` trait.
fn infallible_output(output: &syn::ReturnType) -> Option<String> {
    fn infallible(ty: &syn::Type) -> bool {
        match ty {
            syn::Type::Tuple(tuple) => tuple.elems.is_empty(),
            syn::Type::Paren(paren) => infallible(&paren.elem),
            syn::Type::Reference(reference) => {
                matches!(&*reference.elem, syn::Type::Path(path) if path.qself.is_none()
                    && path.path.is_ident("str"))
            }
            syn::Type::Path(path) if path.qself.is_none() => {
                path.path.get_ident().is_some_and(|ident| {
                    matches!(
                        ident.to_string().as_str(),
                        "i8" | "i16"
                            | "i32"
                            | "i64"
                            | "i128"
                            | "isize"
                            | "u8"
                            | "u16"
                            | "u32"
                            | "u64"
                            | "u128"
                            | "usize"
                            | "f32"
                            | "f64"
                            | "bool"
                            | "char"
                    )
                })
            }
            _ => false,
        }
    }
    match output {
        syn::ReturnType::Default => Some("()".to_owned()),
        syn::ReturnType::Type(_, ty) if infallible(ty) => {
            Some(crate::site::shown(ty).replace("& ", "&"))
        }
        syn::ReturnType::Type(..) => None,
    }
}

/// `defer!(..)` / `errdefer!(..)` as this expression.
fn site_in(expr: &Expr) -> Option<(Kind, Macro)> {
    match expr {
        Expr::Macro(mac) => Kind::of(&mac.mac).map(|kind| (kind, mac.mac.clone())),
        _ => None,
    }
}

/// A site used as a value (`defer!(f.sync())?`, `defer!(..) + x`): an
/// error at the `defer` path. `tried`: the value was given to `?`.
fn value_site(kind: Kind, mac: &Macro, tried: bool) -> TokenStream {
    let name = kind.name();
    let call = match syn::parse2::<Expr>(mac.tokens.clone()) {
        Ok(call @ (Expr::Call(_) | Expr::MethodCall(_))) => Some(crate::site::shown(&call)),
        _ => None,
    };
    let statement = match (&call, &mac.delimiter) {
        (Some(call), _) => format!("`{name}!({call});`"),
        (None, syn::MacroDelimiter::Brace(_)) => format!("`{name}! {{ .. }}`"),
        (None, _) => format!("`{name}!(..);`"),
    };
    let mut message = format!(
        "`{name}!` registers code to run when the function returns and has no value: \
         write it as a statement, {statement}"
    );
    if tried {
        let call = call.as_deref().unwrap_or("f()");
        message.push_str(&format!(
            "; to handle the deferred call's error, do it in the deferred code: \
             `{name}!(|| if let Err(e) = {call} {{ .. }})`, or change the function's \
             result with `{name}!(|ret| ..)`"
        ));
    }
    with_path_used(syn::Error::new_spanned(&mac.path, message), &mac.path)
}

/// A static site's slot, or a dynamic frame's one defer stack.
pub fn slot_name(shape: Shape, id: usize) -> syn::Ident {
    match shape {
        Shape::Static => hidden(&format!("__slot{id}")),
        Shape::Dynamic => hidden("__stack"),
    }
}

/// The queue of a dynamic frame's site that adopts locals.
pub fn queue_name(id: usize) -> syn::Ident {
    hidden(&format!("__queue{id}"))
}

/// A dynamic frame's stack holds one enum (`__fndefer_Entry`) with a variant
/// per site, carrying that site's values: one push per defer, like Go's
/// defer chain.
pub fn entry_variant(id: usize) -> syn::Ident {
    hidden(&format!("S{id}"))
}

/// `recover()` / `fndefer::recover()`.
fn is_recover_call(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    if !call.args.is_empty() {
        return false;
    }
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(
        segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["recover"] | ["fndefer", "recover"]
    )
}

/// `recover()` evaluated at the defer point: always `None`, as in Go.
fn recover_now(expr: &Expr) -> TokenStream {
    let Expr::Call(call) = expr else {
        return expr.to_token_stream();
    };
    let user_path = &call.func;
    quote_spanned!(expr.span()=> (#user_path as fn() -> ::core::option::Option<::fndefer::Panic>)())
}

/// Rewrites `recover()` written directly in deferred code (not in a nested
/// closure or item) to act on the function's frame.
struct RecoverInDeferred;

impl VisitMut for RecoverInDeferred {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if is_recover_call(expr) {
            if let Expr::Call(call) = expr {
                let frame = hidden("__frame");
                let user_path = &call.func;
                let span = call.span();
                // A path call, so the expression starts and ends at the user's
                // `recover()` (a leading hidden `__frame` would put type errors
                // at `#[with_defer]`).
                *expr = expr_of(quote_spanned! {span=>
                    ::fndefer::__private::PanicSlot::recover(&mut #frame.panic, #user_path)
                });
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
        // `println!("{:?}", recover())`: macro input is only tokens.
        mac.tokens = recover_in_tokens(std::mem::take(&mut mac.tokens));
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Rewrites `recover()` / `fndefer::recover()` token sequences inside macro
/// input, where there is no syntax tree to walk.
fn recover_in_tokens(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
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
            let frame = hidden("__frame");
            let path: TokenStream = path.into_iter().collect();
            let call = quote!(#frame.panic.recover(#path));
            out.push(TokenTree::Group(Group::new(Delimiter::Parenthesis, call)));
            index += 2;
            continue;
        }
        match &trees[index] {
            TokenTree::Group(group) => {
                let mut rewritten =
                    Group::new(group.delimiter(), recover_in_tokens(group.stream()));
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
            }
            other => out.push(other.clone()),
        }
        index += 1;
    }
    out.into_iter().collect()
}

/// Deferred code ends the deferred call, never the function: no `?`, no
/// `return value`, no `.await`, no nested `defer!`, no `break`/`continue`
/// aimed at a loop outside the deferred code.
fn check_deferred_code(body: &Expr) -> syn::Result<()> {
    /// The error, and the loops (`true`) and labeled blocks of the deferred
    /// code around the current expression, with their labels.
    struct Check(Option<syn::Error>, Vec<(Option<String>, bool)>);
    impl Check {
        /// Whether a `break`/`continue` with this label stays in the code.
        fn stays(&self, label: Option<&syn::Lifetime>) -> bool {
            match label {
                None => self.1.iter().any(|(_, is_loop)| *is_loop),
                Some(label) => {
                    let name = label.ident.to_string();
                    self.1.iter().any(|(own, _)| own.as_deref() == Some(&*name))
                }
            }
        }
        fn leaves(&mut self, keyword: &str, token: Span) {
            self.0 = Some(syn::Error::new(
                token,
                format!(
                    "`{keyword}` cannot leave deferred code: it runs when the function \
                     returns, after the loop has ended; use `return;` to end the deferred call"
                ),
            ));
        }
        fn enter(&mut self, label: Option<&syn::Label>, is_loop: bool, expr: &Expr) {
            let name = label.map(|label| label.name.ident.to_string());
            self.1.push((name, is_loop));
            syn::visit::visit_expr(self, expr);
            self.1.pop();
        }
    }
    impl<'ast> Visit<'ast> for Check {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            if self.0.is_some() {
                return;
            }
            match expr {
                Expr::Break(brk) if !self.stays(brk.label.as_ref()) => {
                    self.leaves("break", brk.break_token.span);
                }
                Expr::Continue(cont) if !self.stays(cont.label.as_ref()) => {
                    self.leaves("continue", cont.continue_token.span);
                }
                Expr::ForLoop(inner) => {
                    // The iterated expression is outside the loop.
                    self.visit_expr(&inner.expr);
                    self.1
                        .push((inner.label.as_ref().map(|l| l.name.ident.to_string()), true));
                    self.visit_block(&inner.body);
                    self.1.pop();
                }
                Expr::While(inner) => self.enter(inner.label.as_ref(), true, expr),
                Expr::Loop(inner) => self.enter(inner.label.as_ref(), true, expr),
                Expr::Block(inner) if inner.label.is_some() => {
                    self.enter(inner.label.as_ref(), false, expr)
                }
                Expr::Try(try_expr) => {
                    self.0 = Some(syn::Error::new_spanned(
                        try_expr.question_token,
                        "`?` cannot leave deferred code: the function is already returning; \
                         handle the error here (`if let Err(e) = .. { .. }`), or change the \
                         result with `defer!(|ret| ..)`",
                    ));
                }
                Expr::Return(ret) if ret.expr.is_some() => {
                    self.0 = Some(syn::Error::new_spanned(
                        ret,
                        "deferred code cannot return a value: `return;` ends the deferred call; \
                         to change the function's result use `defer!(|ret| *ret = Some(..))`",
                    ));
                }
                Expr::Await(wait) => {
                    self.0 = Some(syn::Error::new_spanned(
                        wait,
                        "deferred code cannot `.await`: it runs synchronously when the function \
                         returns (Rust has no async drop); spawn the work or do it before returning",
                    ));
                }
                Expr::Macro(mac) if Kind::of(&mac.mac).is_some() => {
                    let name = Kind::of(&mac.mac).map(Kind::name).unwrap_or("defer");
                    self.0 = Some(syn::Error::new_spanned(
                        &mac.mac.path,
                        format!(
                            "`{name}!` inside deferred code has no function to attach to; \
                             call a `#[with_defer]` function from the deferred code, or use \
                             `defer_scope!(|| {{ {name}!(..); .. }})()`"
                        ),
                    ));
                }
                Expr::Closure(_) | Expr::Async(_) => {}
                _ => syn::visit::visit_expr(self, expr),
            }
        }
        fn visit_stmt_macro(&mut self, mac: &'ast syn::StmtMacro) {
            let expr = Expr::Macro(syn::ExprMacro {
                attrs: Vec::new(),
                mac: mac.mac.clone(),
            });
            self.visit_expr(&expr);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut check = Check(None, Vec::new());
    check.visit_expr(body);
    match check.0 {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Code evaluated at the defer point is body code: `recover()` there is only
/// legal as a direct argument (linted), so anything deeper is reported.
fn check_body_code(rewriter: &mut Rewriter, expr: &Expr) {
    struct Find<'r, 'a>(&'r mut Rewriter<'a>);
    impl<'ast> Visit<'ast> for Find<'_, '_> {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            if is_recover_call(expr) {
                self.0.errors.push(recover_outside(expr));
                return;
            }
            syn::visit::visit_expr(self, expr);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    Find(rewriter).visit_expr(expr);
}

fn recover_outside(expr: &Expr) -> syn::Error {
    syn::Error::new_spanned(
        expr,
        "`recover()` only stops a panic when it is written in deferred code: \
         move it into `defer!(|| if let Some(p) = recover() { .. })`",
    )
}

/// `x.elapsed()`, `Instant::now()`, `SystemTime::now()`: a time measured now.
/// Returns the span of the `elapsed` / `now` that measures.
fn elapsed_at(expr: &Expr) -> Option<Span> {
    struct Find(Option<Span>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "elapsed" && self.0.is_none() {
                self.0 = Some(call.method.span());
            }
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let Expr::Path(path) = &*call.func {
                let segments: Vec<String> = path
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segments.len() >= 2
                    && segments[segments.len() - 1] == "now"
                    && matches!(
                        segments[segments.len() - 2].as_str(),
                        "Instant" | "SystemTime"
                    )
                    && self.0.is_none()
                {
                    self.0 = path.path.segments.last().map(|last| last.ident.span());
                }
            }
            syn::visit::visit_expr_call(self, call);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        // `format!("{:?}", start.elapsed())`: macro input is only tokens;
        // read it as the comma-separated expressions of a format macro.
        fn visit_macro(&mut self, mac: &'ast Macro) {
            if let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                for arg in &args {
                    self.visit_expr(arg);
                }
            }
        }
    }
    let mut find = Find(None);
    find.visit_expr(expr);
    find.0
}

/// Where a lint on a call should point: the called name (`acquire` in
/// `lock.acquire()`, `exit` in `std::process::exit`), not the first token
/// of the expression, which is all a stable `Span` of it covers.
fn called_now_at(expr: &Expr) -> Span {
    match expr {
        Expr::MethodCall(call) => call.method.span(),
        Expr::Call(call) => last_segment_at(&call.func),
        Expr::Macro(mac) => mac
            .mac
            .path
            .segments
            .last()
            .map_or_else(|| expr.span(), |last| last.ident.span()),
        _ => expr.span(),
    }
}

/// The last segment of a path expression (else the expression's span).
fn last_segment_at(expr: &Expr) -> Span {
    match expr {
        Expr::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(|| expr.span(), |last| last.ident.span()),
        _ => expr.span(),
    }
}

/// Whether a `loop` body has a way out other than a panic: a `return`, a
/// `?`, a `break` not aimed at an inner loop, or a macro that might expand to
/// one of those.
fn can_leave(body: &syn::Block) -> bool {
    struct Find {
        found: bool,
        inner_loops: usize,
    }
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            match expr {
                Expr::Return(_) | Expr::Try(_) => self.found = true,
                Expr::Break(brk) if brk.label.is_some() || self.inner_loops == 0 => {
                    self.found = true
                }
                Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) => {
                    self.inner_loops += 1;
                    syn::visit::visit_expr(self, expr);
                    self.inner_loops -= 1;
                }
                Expr::Closure(_) | Expr::Async(_) => {}
                _ => syn::visit::visit_expr(self, expr),
            }
        }
        fn visit_macro(&mut self, mac: &'ast Macro) {
            let is_std_output = mac.path.segments.last().is_some_and(|last| {
                crate::scope::is_format_macro(&last.ident.to_string()) && last.ident != "panic"
            });
            let names_exit = mac
                .tokens
                .to_string()
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == "return" || word == "break")
                || mac.tokens.to_string().contains('?');
            if !is_std_output && (names_exit || Kind::of(mac).is_none()) {
                // An unknown macro (`bail!`, `select!`) may leave the loop.
                self.found = true;
            }
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut find = Find {
        found: false,
        inner_loops: 0,
    };
    find.visit_block(body);
    find.found
}

/// Whether a statement names `name` anywhere (tokens, so macro input too).
fn mentions(stmt: &Stmt, name: &str) -> bool {
    fn scan(tokens: TokenStream, name: &str) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => ident == name,
            proc_macro2::TokenTree::Group(group) => scan(group.stream(), name),
            proc_macro2::TokenTree::Literal(literal) => {
                // `{name}` captured by a format string.
                let text = literal.to_string();
                text.contains(&format!("{{{name}}}")) || text.contains(&format!("{{{name}:"))
            }
            proc_macro2::TokenTree::Punct(_) => false,
        })
    }
    scan(stmt.to_token_stream(), name)
}

/// `std::process::exit(..)` / `process::exit(..)`, and a bare `exit(..)`
/// (after `use std::process::exit;`, which the macro cannot see; few other
/// functions are called `exit`).
fn is_process_exit(call: &syn::ExprCall) -> bool {
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [only] => path.qself.is_none() && only == "exit",
        [.., module, last] => last == "exit" && module == "process",
        [] => false,
    }
}

impl VisitMut for Rewriter<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scopes.push();
        let mut stmts = std::mem::take(&mut block.stmts);
        // Where each `let` of this block is in `block.stmts`, and its id.
        let mut lets: Vec<(usize, usize)> = Vec::new();
        for index in 0..stmts.len() {
            let mut stmt = std::mem::replace(
                &mut stmts[index],
                Stmt::Expr(Expr::Verbatim(TokenStream::new()), None),
            );
            let nested_before = self.nested_adoptions.len();
            let site = match &stmt {
                Stmt::Macro(mac) => Kind::of(&mac.mac).map(|kind| (kind, mac.mac.clone())),
                Stmt::Expr(Expr::Macro(mac), _) => {
                    Kind::of(&mac.mac).map(|kind| (kind, mac.mac.clone()))
                }
                _ => None,
            };
            if let Some((kind, mac)) = site {
                let code = self.site(kind, &mac);
                block.stmts.push(Stmt::Expr(Expr::Verbatim(code), None));
                continue;
            }
            let mut pre_adoption = None;
            match &mut stmt {
                Stmt::Local(local) => {
                    if let Some(init) = &mut local.init {
                        self.visit_expr_mut(&mut init.expr);
                        if let Some((_, diverge)) = &mut init.diverge {
                            self.visit_expr_mut(diverge);
                        }
                    }
                    let holds_mut_ref = local.init.as_ref().is_some_and(|init| {
                        matches!(&*init.expr,
                            Expr::Reference(reference) if reference.mutability.is_some())
                    });
                    let let_id = self.lets;
                    self.lets += 1;
                    self.let_in_loop.push(self.scopes.loops > 0);
                    self.scopes.bind_let(&local.pat, holds_mut_ref, let_id);
                    lets.push((block.stmts.len(), let_id));
                    if self.pre_adopt.contains(&let_id) {
                        pre_adoption = self.pre_adoption(&local.pat);
                    }
                }
                Stmt::Item(_) => {}
                _ => self.visit_stmt_mut(&mut stmt),
            }
            block.stmts.push(stmt);
            if let Some(registration) = pre_adoption {
                block
                    .stmts
                    .push(Stmt::Expr(Expr::Verbatim(registration), None));
            }
            // A deferred call inside this statement adopted a local of this
            // block: if the block uses the name afterwards, the local must be
            // adopted where it is declared instead (pass 2).
            let declared_here: Vec<usize> = lets.iter().map(|(_, id)| *id).collect();
            for (let_id, name) in &self.nested_adoptions[nested_before..] {
                if declared_here.contains(let_id)
                    && stmts[index + 1..].iter().any(|later| mentions(later, name))
                {
                    self.pre_adopt_wanted.insert(*let_id);
                }
            }
        }
        // The sites of this block and its inner blocks are planned: mark the
        // `let mut` whose local a deferred call adopted.
        for (index, let_id) in lets {
            if self.silenced_lets.contains(&let_id)
                && let Some(Stmt::Local(local)) = block.stmts.get_mut(index)
            {
                local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
            }
        }
        self.scopes.pop();
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            // A site reached here is an operand (statements, block tails and
            // match arms are handled before): `defer!(..)?`, `defer!(..) + x`.
            // The whole `defer!(..)?` is replaced, so `?` on `()` adds no error.
            Expr::Try(try_expr) if self.nested.is_none() && site_in(&try_expr.expr).is_some() => {
                if let Some((kind, mac)) = site_in(&try_expr.expr) {
                    let code = value_site(kind, &mac, true);
                    *expr = Expr::Verbatim(quote!(({ #code })));
                }
            }
            Expr::Macro(mac) => {
                if let Some(kind) = Kind::of(&mac.mac) {
                    let code = if self.nested.is_some() {
                        self.site(kind, &mac.mac)
                    } else {
                        value_site(kind, &mac.mac, false)
                    };
                    // Parenthesized, so `defer!(..) + x` cannot parse as a block statement.
                    *expr = Expr::Verbatim(quote!(({ #code })));
                }
            }
            Expr::Call(_) if is_recover_call(expr) => {
                self.errors.push(recover_outside(expr));
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
                if is_process_exit(call) && !local_callee && !self.planned.is_empty() {
                    self.lints
                        .warn(Lint::Exit, last_segment_at(&call.func), lints::EXIT);
                }
                visit_mut::visit_expr_mut(self, expr);
            }
            Expr::Closure(closure) => {
                let outer = self.nested.replace("a closure");
                self.scopes.push();
                for input in &closure.inputs {
                    self.scopes.bind_pat(input, true);
                }
                self.visit_expr_mut(&mut closure.body);
                self.scopes.pop();
                self.nested = outer;
            }
            Expr::Async(block) => {
                let outer = self.nested.replace("an async block");
                self.visit_block_mut(&mut block.block);
                self.nested = outer;
            }
            Expr::ForLoop(for_loop) => {
                self.visit_expr_mut(&mut for_loop.expr);
                self.scopes.loops += 1;
                self.scopes.push();
                self.scopes.bind_pat(&for_loop.pat, true);
                self.visit_block_mut(&mut for_loop.body);
                self.scopes.pop();
                self.scopes.loops -= 1;
            }
            Expr::While(while_loop) => {
                self.scopes.loops += 1;
                self.scopes.push();
                self.visit_expr_mut(&mut while_loop.cond);
                self.visit_block_mut(&mut while_loop.body);
                self.scopes.pop();
                self.scopes.loops -= 1;
            }
            Expr::Loop(loop_expr) => {
                self.scopes.loops += 1;
                self.endless_loops.push(!can_leave(&loop_expr.body));
                self.visit_block_mut(&mut loop_expr.body);
                self.endless_loops.pop();
                self.scopes.loops -= 1;
            }
            Expr::If(if_expr) => {
                self.scopes.push();
                self.visit_expr_mut(&mut if_expr.cond);
                self.visit_block_mut(&mut if_expr.then_branch);
                self.scopes.pop();
                if let Some((_, else_branch)) = &mut if_expr.else_branch {
                    self.visit_expr_mut(else_branch);
                }
            }
            Expr::Match(match_expr) => {
                self.visit_expr_mut(&mut match_expr.expr);
                for arm in &mut match_expr.arms {
                    self.scopes.push();
                    self.scopes.bind_pat(&arm.pat, true);
                    if let Pat::Guard(guard) = &mut arm.pat {
                        self.visit_expr_mut(&mut guard.guard);
                    }
                    // `Some(_) => defer!(..),` is a site like a statement.
                    match site_in(&arm.body) {
                        Some((kind, mac)) if self.nested.is_none() => {
                            let code = self.site(kind, &mac);
                            *arm.body = Expr::Verbatim(quote!(({ #code })));
                        }
                        _ => self.visit_expr_mut(&mut arm.body),
                    }
                    self.scopes.pop();
                }
            }
            Expr::Let(let_expr) => {
                self.visit_expr_mut(&mut let_expr.expr);
                self.scopes.bind_pat(&let_expr.pat, true);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// First pass: how many sites there are and whether any is in a loop, which
/// decides the frame's shape before any code is generated.
#[derive(Default)]
pub struct Census {
    pub sites: usize,
    pub in_loop: bool,
    /// Some site sits below the body's own block (a nested block, a match
    /// arm, a loop): only then can pre-adoption be needed.
    pub nested_site: bool,
    loop_depth: usize,
    nested: usize,
    /// Blocks and arms entered; the body's block is the first.
    depth: usize,
}

impl<'ast> Visit<'ast> for Census {
    fn visit_macro(&mut self, mac: &'ast Macro) {
        if Kind::of(mac).is_some() && self.nested == 0 {
            self.sites += 1;
            self.in_loop |= self.loop_depth > 0;
            self.nested_site |= self.depth > 1 || self.loop_depth > 0;
        }
    }
    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.depth += 1;
        syn::visit::visit_block(self, block);
        self.depth -= 1;
    }
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.depth += 1;
        syn::visit::visit_arm(self, arm);
        self.depth -= 1;
    }
    fn visit_expr(&mut self, expr: &'ast Expr) {
        match expr {
            Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) => {
                self.loop_depth += 1;
                syn::visit::visit_expr(self, expr);
                self.loop_depth -= 1;
            }
            Expr::Closure(_) | Expr::Async(_) => {
                self.nested += 1;
                syn::visit::visit_expr(self, expr);
                self.nested -= 1;
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}
