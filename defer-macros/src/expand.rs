//! Expansion: the function becomes its body in an `FnOnce` closure, slots in
//! the function's scope, and an open-coded epilogue that runs the deferred
//! calls LIFO once the body's borrows have ended.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, FnArg, ItemFn, ReturnType, Stmt, Type};

use crate::args::Options;
use crate::lints::Lints;
use crate::rewrite::{Census, Planned, Rewriter, Shape, entry_variant, queue_name, slot_name};
use crate::scope::{Binding, Scopes, hidden};
use crate::site::Kind;

/// Largest number of sites the static (bitmask-like) frame takes, as in Go's
/// open-coded defers.
const MAX_STATIC_SITES: usize = 8;

/// `#[with_defer]` on a function.
pub fn with_defer(args: TokenStream, item: TokenStream) -> TokenStream {
    // Errors that still leave a function to expand: the function is expanded
    // anyway, so its sites and adopted locals raise no errors of their own.
    let mut errors = TokenStream::new();
    // A typo in `allow(..)`: that error only. The function expands with every
    // lint silenced, so no warning the user meant to allow shows with it.
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(error) => {
            errors.extend(error.to_compile_error());
            Options {
                allowed: crate::args::Lint::ALL.to_vec(),
            }
        }
    };
    let mut function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new(
                not_a_function_at(&item),
                "`#[with_defer]` goes on a function with a body (a free function, a method, \
                 or a trait method with a default body); for a closure use \
                 `defer_scope!(|| { .. })`",
            );
            let stripped = error_with_item(error, item);
            return quote!(#errors #stripped);
        }
    };
    if let Err(error) = check_signature(&function.sig) {
        let stripped = error_with_item(error, item);
        return quote!(#errors #stripped);
    }
    // `#[with_defer] #[with_defer] fn ..`: this (the outer) one expands, the
    // inner one is reported and dropped (it would see the expanded body).
    let is_with_defer = |attr: &syn::Attribute| {
        attr.path()
            .segments
            .last()
            .is_some_and(|last| last.ident == "with_defer")
    };
    if let Some(again) = function.attrs.iter().find(|attr| is_with_defer(attr)) {
        errors.extend(
            syn::Error::new_spanned(again, "`#[with_defer]` is applied twice; remove one")
                .to_compile_error(),
        );
        function.attrs.retain(|attr| !is_with_defer(attr));
    }
    // `errdefer!` in a `fn f()` / `fn f() -> i32`: an error at `errdefer`.
    crate::rewrite::reject_errdefer(&mut function.block, &function.sig.output);
    let name = function.sig.ident.to_string();
    if let Some(expanded) = expand_async_block_body(&options, &mut function, &name) {
        return quote!(#errors #expanded);
    }
    let flavor = if function.sig.asyncness.is_some() {
        Flavor::Async
    } else {
        Flavor::Sync
    };
    let scopes = parameter_scopes(function.sig.inputs.iter(), flavor);
    let body = expand_body(
        &options,
        scopes,
        &function.sig.output,
        &name,
        std::mem::replace(&mut *function.block, empty_block()),
        flavor,
    );
    *function.block = body;
    quote!(#errors #function)
}

/// `fn f(..) -> impl Future<Output = T> { async move { .. } }`: the async
/// block gets the semantics of an `async fn` body (cancellation included).
fn expand_async_block_body(
    options: &Options,
    function: &mut ItemFn,
    name: &str,
) -> Option<TokenStream> {
    if function.sig.asyncness.is_some() {
        return None;
    }
    let ReturnType::Type(_, return_type) = &function.sig.output else {
        return None;
    };
    let output = future_output(return_type)?;
    let [Stmt::Expr(Expr::Async(async_block), None)] = function.block.stmts.as_mut_slice() else {
        return None;
    };
    let scopes = parameter_scopes(function.sig.inputs.iter(), Flavor::Async);
    let output: ReturnType = syn::parse_quote!(-> #output);
    let block = std::mem::replace(&mut async_block.block, empty_block());
    async_block.block = expand_body(options, scopes, &output, name, block, Flavor::Async);
    Some(function.to_token_stream())
}

/// `T` of an `impl Future<Output = T>` return type.
fn future_output(ty: &Type) -> Option<Type> {
    let Type::ImplTrait(impl_trait) = ty else {
        return None;
    };
    impl_trait.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(assoc.ty.clone())
            }
            _ => None,
        })
    })
}

/// What makes `item` no function with a body: the `;` of a declaration
/// (`fn f();`), else the item's keyword (`struct`, `impl`, `mod`, ..).
fn not_a_function_at(item: &TokenStream) -> proc_macro2::Span {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = item.clone().into_iter().collect();
    let is_fn = trees
        .iter()
        .any(|tree| matches!(tree, TokenTree::Ident(ident) if ident == "fn"));
    if let Some(TokenTree::Punct(semi)) = trees.last()
        && semi.as_char() == ';'
        && is_fn
    {
        return semi.span();
    }
    let mut iter = trees.iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            // `#[attr]`: skip the bracket group.
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                iter.next();
            }
            // `pub(crate)`: skip the parenthesized part.
            TokenTree::Ident(ident) if ident == "pub" => {
                if let Some(TokenTree::Group(group)) = iter.peek()
                    && group.delimiter() == Delimiter::Parenthesis
                {
                    iter.next();
                }
            }
            TokenTree::Ident(ident) => return ident.span(),
            _ => {}
        }
    }
    proc_macro2::Span::call_site()
}

fn check_signature(sig: &syn::Signature) -> syn::Result<()> {
    if let Some(constness) = &sig.constness {
        return Err(syn::Error::new_spanned(
            constness,
            "`#[with_defer]` cannot go on a `const fn`: deferred calls run at runtime and \
             catch panics; remove `const` or the attribute",
        ));
    }
    if let ReturnType::Type(_, ty) = &sig.output
        && let Type::Never(never) = &**ty
    {
        return Err(syn::Error::new_spanned(
            never,
            "`#[with_defer]` cannot go on a function returning `!`: write `-> ()` \
             and let the body diverge, or defer in a helper",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        return Err(syn::Error::new_spanned(
            variadic,
            "`#[with_defer]` cannot go on a C-variadic function",
        ));
    }
    Ok(())
}

/// The parameters' names. Deferred code uses them in place at exit; in an
/// `async fn` they are locals of the future, adopted like body locals so that
/// cancellation can still run the deferred code (only `self` stays in place).
pub fn parameter_scopes<'a>(inputs: impl Iterator<Item = &'a FnArg>, flavor: Flavor) -> Scopes {
    let mut scopes = Scopes::new();
    for input in inputs {
        match input {
            FnArg::Receiver(_) => scopes.bind("self".to_owned(), Binding::Param),
            FnArg::Typed(typed) => {
                let holds_mut_ref = matches!(&*typed.ty,
                    Type::Reference(reference) if reference.mutability.is_some());
                scopes.bind_pat_holding(&typed.pat, flavor == Flavor::Async, holds_mut_ref);
            }
        }
    }
    scopes
}

fn empty_block() -> Block {
    Block {
        brace_token: Default::default(),
        stmts: Vec::new(),
    }
}

/// Whether the body is a plain function's or an `async fn`'s.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Sync,
    Async,
}

/// Rewrites a function (or closure) body. Never fails: problems become
/// `compile_error!` at the user's tokens, inside an otherwise valid body.
pub fn expand_body(
    options: &Options,
    scopes: Scopes,
    output: &ReturnType,
    name: &str,
    block: Block,
    flavor: Flavor,
) -> Block {
    let mut census = Census::default();
    census.visit_block(&block);

    // Items declared in the body must stay visible to the deferred code,
    // which runs outside the body closure.
    let brace_token = block.brace_token;
    let (items, stmts): (Vec<Stmt>, Vec<Stmt>) = block
        .stmts
        .into_iter()
        .partition(|stmt| matches!(stmt, Stmt::Item(_)));
    let mut body = Block { brace_token, stmts };

    // Pass 1, whose output is dropped: which locals a deferred call in a
    // deeper block or loop names, so that pass 2 adopts them where they are
    // declared (each is one more site).
    let (pre_adopt, pre_adopt_in_loop) = if !census.nested_site {
        Default::default()
    } else {
        let mut dry_run = Rewriter::new(scopes.clone(), Shape::Dynamic, Lints::new(options));
        dry_run.guarded_slots = flavor == Flavor::Async;
        dry_run.visit_block_mut(&mut body.clone());
        let in_loop = dry_run
            .pre_adopt_wanted
            .iter()
            .any(|id| dry_run.let_in_loop.get(*id).copied().unwrap_or(false));
        (dry_run.pre_adopt_wanted, in_loop)
    };
    let shape =
        if census.in_loop || pre_adopt_in_loop || census.sites + pre_adopt.len() > MAX_STATIC_SITES
        {
            Shape::Dynamic
        } else {
            Shape::Static
        };

    let mut lints = Lints::new(options);
    lints.in_closure = name == CLOSURE_NAME;
    let mut rewriter = Rewriter::new(scopes, shape, lints);
    rewriter.guarded_slots = flavor == Flavor::Async;
    rewriter.pre_adopt = pre_adopt;
    rewriter.visit_block_mut(&mut body);
    let errors = rewriter.errors.iter().map(syn::Error::to_compile_error);
    let errors = quote!(#(#errors;)*);
    let warnings = std::mem::take(&mut rewriter.lints.emitted);

    if rewriter.planned.is_empty() {
        let stmts = &body.stmts;
        return parse_block(quote!({ #(#items)* #errors #(#warnings)* #(#stmts)* }));
    }

    let marker = hidden("__marker");
    let frame = hidden("__frame");
    let planned = &rewriter.planned;

    // The slots, as the epilogue sees them (`&mut` to each): a static frame
    // has one `Option` per site, a dynamic frame one stack of entries.
    let (slot_names, slot_inits, entry_type): (Vec<TokenStream>, Vec<TokenStream>, TokenStream) =
        match shape {
            Shape::Static => (
                planned
                    .iter()
                    .map(|planned| slot_name(shape, planned.id).into_token_stream())
                    .collect(),
                planned
                    .iter()
                    .map(|_| quote!(::core::option::Option::None))
                    .collect(),
                TokenStream::new(),
            ),
            Shape::Dynamic => {
                let queued = planned.iter().filter(|planned| planned.own_queue);
                (
                    std::iter::once(slot_name(shape, 0).into_token_stream())
                        .chain(queued.clone().map(|p| queue_name(p.id).into_token_stream()))
                        .collect(),
                    std::iter::once(quote!(::fndefer::__private::SmallStack::new()))
                        .chain(queued.map(|_| quote!(::fndefer::__private::SmallStack::new())))
                        .collect(),
                    entry_enum(planned),
                )
            }
        };

    let full_epilogue = epilogue(shape, planned.iter());
    let finish = if returns_unit(output) {
        quote!(#frame.finish_unit())
    } else {
        quote!(#frame.finish(#name))
    };
    let stmts = &body.stmts;
    let mut body_tokens = TokenStream::new();
    body.brace_token.surround(&mut body_tokens, |tokens| {
        quote!(#(#stmts)*).to_tokens(tokens)
    });

    let expanded = match flavor {
        Flavor::Sync => {
            let annotation = closure_return_type(output);
            let declarations = slot_names
                .iter()
                .zip(&slot_inits)
                .map(|(name, init)| quote!(let mut #name = #init;));
            let reborrows = slot_names
                .iter()
                .map(|name| quote!(let #name = &mut #name;));
            quote! {{
                #(#items)*
                #entry_type
                #errors
                #(#warnings)*
                let #marker = ::fndefer::__private::Marker::new();
                #(#declarations)*
                // After adoption the body's `&mut stats` is `&mut &mut Stats`,
                // right as written but flagged by clippy's needless_borrow.
                #[allow(clippy::needless_borrow)]
                let mut #frame = ::fndefer::__private::run(&#marker, || #annotation #body_tokens);
                #(#reborrows)*
                #full_epilogue
                #finish
            }}
        }
        Flavor::Async => {
            let guard = hidden("__guard");
            let slots = hidden("__slots");
            let body_future = hidden("__body");
            let context = hidden("__cx");
            let result_type = match output {
                ReturnType::Default => quote!(()),
                ReturnType::Type(..) => {
                    let annotation = closure_return_type(output);
                    let mut tokens = annotation.into_iter();
                    // Drop the `->`, keep the type; `impl Trait` became `_`.
                    tokens.next();
                    tokens.next();
                    let ty: TokenStream = tokens.collect();
                    if ty.is_empty() { quote!(_) } else { ty }
                }
            };
            let cancel_epilogue = epilogue(shape, planned.iter().filter(|p| p.on_cancel));
            quote! {{
                #(#items)*
                #entry_type
                #errors
                #(#warnings)*
                let #marker: ::fndefer::__private::Marker<#result_type> =
                    ::fndefer::__private::Marker::new();
                // Dropped after the body's future, so on cancellation the
                // deferred calls that need no parameter still run, LIFO.
                let mut #guard = ::fndefer::__private::CancelGuard::new((#(#slot_inits,)*));
                let mut #frame = {
                    let mut #body_future = ::core::pin::pin!(
                        ::fndefer::__private::typed_body(&#marker, async #body_tokens)
                    );
                    ::fndefer::__private::arm(&mut #guard.on_cancel, |#slots| {
                        #[allow(unused_variables)]
                        let (#(#slot_names,)*) = #slots;
                        let mut #frame = ::fndefer::__private::cancelled(&#marker);
                        #cancel_epilogue
                        #frame.finish_cancelled();
                    });
                    ::core::future::poll_fn(|#context| {
                        ::fndefer::__private::poll_catching(#body_future.as_mut(), #context)
                    })
                    .await
                };
                #[allow(unused_variables)]
                let (#(#slot_names,)*) = #guard.disarm();
                #full_epilogue
                #finish
            }}
        }
    };
    parse_block(expanded)
}

/// The deferred calls, LIFO, each under its own panic catch. Slots are
/// `&mut` here (`take()` empties them), so the same code serves the
/// function's exit and an `async fn`'s cancellation.
fn epilogue<'a>(
    shape: Shape,
    planned: impl DoubleEndedIterator<Item = &'a Planned>,
) -> TokenStream {
    let frame = hidden("__frame");
    let value = hidden("__value");
    match shape {
        Shape::Static => {
            let calls = planned.rev().map(|planned| {
                let slot = slot_name(shape, planned.id);
                let exit = &planned.exit;
                quote! {
                    if let ::core::option::Option::Some(#value) = #slot.take() {
                        #frame.call(|#frame| { #exit });
                    }
                }
            });
            quote!(#(#calls)*)
        }
        Shape::Dynamic => {
            let stack = slot_name(shape, 0);
            let entry = hidden("__Entry");
            let popped = hidden("__entry");
            let arms = planned.map(|planned| {
                let variant = entry_variant(planned.id);
                let exit = &planned.exit;
                if planned.own_queue {
                    let queue = queue_name(planned.id);
                    quote! {
                        #entry::#variant => if let ::core::option::Option::Some(#value) = #queue.pop() {
                            #frame.call_in_drain(|#frame| { #exit });
                        },
                    }
                } else if planned.has_values {
                    quote!(#entry::#variant(#value) => #frame.call_in_drain(|#frame| { #exit }),)
                } else {
                    quote!(#entry::#variant => #frame.call_in_drain(|#frame| { #exit }),)
                }
            });
            // On cancellation some sites are skipped: their entries are
            // popped and dropped.
            quote! {
                #frame.drain(|#frame| {
                    while let ::core::option::Option::Some(#popped) = #stack.pop() {
                        #[allow(unreachable_patterns)]
                        match #popped {
                            #(#arms)*
                            _ => {}
                        }
                    }
                });
            }
        }
    }
}

/// `enum __fndefer_Entry<T0, ..> { S0(T0), S1, .. }`: one variant per
/// site, generic over the types of the values it queues (they are inferred:
/// closures and adopted locals cannot be named).
fn entry_enum(planned: &[Planned]) -> TokenStream {
    let entry = hidden("__Entry");
    let carries = |planned: &&Planned| planned.has_values && !planned.own_queue;
    let params: Vec<syn::Ident> = planned
        .iter()
        .filter(carries)
        .map(|planned| hidden(&format!("T{}", planned.id)))
        .collect();
    let variants = planned.iter().map(|planned| {
        let variant = entry_variant(planned.id);
        if carries(&planned) {
            let param = hidden(&format!("T{}", planned.id));
            quote!(#variant(#param))
        } else {
            quote!(#variant)
        }
    });
    quote! {
        #[allow(non_camel_case_types)]
        enum #entry<#(#params),*> { #(#variants,)* }
    }
}

fn parse_block(tokens: TokenStream) -> Block {
    Block {
        brace_token: Default::default(),
        stmts: vec![Stmt::Expr(Expr::Verbatim(strip_outer_brace(tokens)), None)],
    }
}

/// `{ .. }` → `..`, so the tokens can sit inside the function's own braces.
fn strip_outer_brace(tokens: TokenStream) -> TokenStream {
    let mut iter = tokens.clone().into_iter();
    match (iter.next(), iter.next()) {
        (Some(proc_macro2::TokenTree::Group(group)), None)
            if group.delimiter() == proc_macro2::Delimiter::Brace =>
        {
            group.stream()
        }
        _ => tokens,
    }
}

fn returns_unit(output: &ReturnType) -> bool {
    match output {
        ReturnType::Default => true,
        ReturnType::Type(_, ty) => matches!(&**ty, Type::Tuple(tuple) if tuple.elems.is_empty()),
    }
}

/// The body closure's `-> R`, so `?` and `return` inside it convert to the
/// function's type. `impl Trait` cannot be named there and becomes `_`.
fn closure_return_type(output: &ReturnType) -> TokenStream {
    let ReturnType::Type(arrow, ty) = output else {
        return TokenStream::new();
    };
    let mut ty = (**ty).clone();
    struct InferImplTrait;
    impl VisitMut for InferImplTrait {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::ImplTrait(_) = ty {
                *ty = syn::parse_quote!(_);
                return;
            }
            visit_mut::visit_type_mut(self, ty);
        }
    }
    InferImplTrait.visit_type_mut(&mut ty);
    if let Type::Infer(_) = ty {
        // `-> _` (an unannotated closure) or `-> impl Trait`: let inference work.
        return TokenStream::new();
    }
    quote!(#arrow #ty)
}

/// On an error that leaves no function to expand: the error, and the item
/// with its `defer!` sites removed so they do not each add an error of their own.
fn error_with_item(error: syn::Error, item: TokenStream) -> TokenStream {
    let error = error.to_compile_error();
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(mut parsed) => {
            StripSites.visit_item_mut(&mut parsed);
            quote!(#error #parsed)
        }
        Err(_) => quote!(#error #item),
    }
}

/// Replaces each site by `defer! { __fndefer_used }` (the user's path, which
/// expands to nothing), so the user's import of the macro stays used.
struct StripSites;

impl VisitMut for StripSites {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(mac) = expr
            && Kind::of(&mac.mac).is_some()
        {
            let path = &mac.mac.path;
            *expr = Expr::Verbatim(quote!(({ #path! { __fndefer_used } })));
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(mac) = stmt
            && Kind::of(&mac.mac).is_some()
        {
            let path = &mac.mac.path;
            *stmt = Stmt::Expr(Expr::Verbatim(quote!(#path! { __fndefer_used })), None);
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }
}

/// What messages call a `defer_scope!` closure.
const CLOSURE_NAME: &str = "closure";

/// `defer_scope!(|args| body)`: a closure whose body has the semantics of a
/// `#[with_defer]` function (Go's function literals have their own defers).
pub fn defer_scope(input: TokenStream) -> TokenStream {
    match syn::parse2::<ScopedClosure>(input) {
        Ok(scoped) => scoped.expand(),
        Err(error) => error.to_compile_error(),
    }
}

struct ScopedClosure {
    options: Options,
    closure: syn::ExprClosure,
}

impl syn::parse::Parse for ScopedClosure {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        // `defer_scope!(allow(loop); move || ..)`. A call such as
        // `defer_scope!(work())` is no options list: it gets the closure error.
        let is_allow = input
            .fork()
            .parse::<syn::Ident>()
            .is_ok_and(|ident| ident == "allow");
        let options = if input.peek(syn::Ident)
            && input.peek2(syn::token::Paren)
            && (is_allow || input.peek3(syn::Token![;]))
        {
            let options_tokens: TokenStream = {
                let name: syn::Ident = input.parse()?;
                let content;
                let paren = syn::parenthesized!(content in input);
                let inner: TokenStream = content.parse()?;
                let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, inner);
                group.set_span(paren.span.join());
                quote!(#name #group)
            };
            input.parse::<syn::Token![;]>().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "separate the options from the closure with `;`: \
                     `defer_scope!(allow(loop); || { .. })`",
                )
            })?;
            Options::parse(options_tokens)?
        } else {
            Options::default()
        };
        let expr: Expr = input.parse()?;
        let closure = match expr {
            Expr::Closure(closure) => closure,
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`defer_scope!` takes a closure: `defer_scope!(move || { defer!(..); .. })`",
                ));
            }
        };
        if !input.is_empty() {
            return Err(input.error("`defer_scope!` takes one closure"));
        }
        Ok(ScopedClosure { options, closure })
    }
}

impl ScopedClosure {
    fn expand(self) -> TokenStream {
        let ScopedClosure {
            options,
            mut closure,
        } = self;
        if let Some(asyncness) = &closure.asyncness {
            return syn::Error::new_spanned(
                asyncness,
                "`defer_scope!` does not take async closures yet; call a `#[with_defer]` \
                 function from the closure instead",
            )
            .to_compile_error();
        }
        let mut scopes = Scopes::new();
        for input in &closure.inputs {
            scopes.bind_pat(input, false);
        }
        let block = match *closure.body {
            Expr::Block(block) if block.label.is_none() && block.attrs.is_empty() => block.block,
            other => Block {
                brace_token: Default::default(),
                stmts: vec![Stmt::Expr(other, None)],
            },
        };
        // Without `-> R`, a body that ends in a value returns it; one that
        // ends in a statement returns `()` (and so may recover without `ret`).
        let output = match &closure.output {
            ReturnType::Type(..) => closure.output.clone(),
            ReturnType::Default => {
                let ends_in_value = matches!(block.stmts.last(), Some(Stmt::Expr(_, None)));
                if ends_in_value {
                    syn::parse_quote!(-> _)
                } else {
                    ReturnType::Default
                }
            }
        };
        let body = expand_body(&options, scopes, &output, CLOSURE_NAME, block, Flavor::Sync);
        closure.body = Box::new(Expr::Block(syn::ExprBlock {
            attrs: Vec::new(),
            label: None,
            block: body,
        }));
        closure.into_token_stream()
    }
}
