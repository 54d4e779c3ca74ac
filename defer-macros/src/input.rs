//! What is being expanded: a `#[with_defer]` function (its signature
//! checked) or a `defer_scope!` closure, as one [`Input`] for the pipeline.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, FnArg, ReturnType, Stmt, Type};

use crate::args::Options;
use crate::syntax::{is_mut_ref_type, is_unit, source_text};

/// Whose body it is: the panic message after a `recover()` without a result
/// names the function.
pub enum Owner {
    Fn(syn::Ident),
    Closure,
}

impl Owner {
    pub fn panic_name(&self) -> String {
        match self {
            Owner::Fn(name) => name.to_string(),
            Owner::Closure => "closure".to_owned(),
        }
    }
}

/// Whether the body is a plain function's or an `async fn`'s.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Sync,
    Async,
}

/// The function's result.
pub struct Output {
    pub ty: ReturnType,
    pub is_unit: bool,
    /// The written type when it has no failure case (`()`, a number, `bool`,
    /// `&str`): `errdefer!` is an error at its path. Anything else (an alias,
    /// a generic) is left to the runtime's `Fallible` trait.
    pub infallible: Option<String>,
}

impl Output {
    pub fn new(ty: ReturnType) -> Output {
        let is_unit = match &ty {
            ReturnType::Default => true,
            ReturnType::Type(_, ty) => is_unit(ty),
        };
        let infallible = infallible_output(&ty);
        Output {
            ty,
            is_unit,
            infallible,
        }
    }

    /// The body closure's `-> R`, so `?` and `return` inside it convert to
    /// the function's type. `impl Trait` cannot be named there and becomes
    /// `_`; a bare `_` is left out, for inference.
    pub fn closure_return_type(&self) -> TokenStream {
        match self.inferable_type() {
            Some(ty) => {
                let arrow = match &self.ty {
                    ReturnType::Type(arrow, _) => *arrow,
                    ReturnType::Default => Default::default(),
                };
                quote!(#arrow #ty)
            }
            None => TokenStream::new(),
        }
    }

    /// `-> impl Fn(A, B) -> R` (or `FnMut`, `FnOnce`): the argument types.
    /// The body closure's return type is inferred (`impl Trait` cannot be
    /// named there), so a closure the body returns gets no expected
    /// signature; `annotate_returned_closure` gives it its parameters' types.
    pub fn returned_closure_args(&self) -> Option<Vec<Type>> {
        let ReturnType::Type(_, ty) = &self.ty else {
            return None;
        };
        let Type::ImplTrait(impl_trait) = &**ty else {
            return None;
        };
        impl_trait.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if !(last.ident == "Fn" || last.ident == "FnMut" || last.ident == "FnOnce") {
                return None;
            }
            match &last.arguments {
                syn::PathArguments::Parenthesized(args) => {
                    Some(args.inputs.iter().map(|arg| arg.ty.clone()).collect())
                }
                _ => None,
            }
        })
    }

    /// The result type is written out (no `impl Trait`, no `_`), so the
    /// zero value after a `recover()` can be chosen for it.
    pub fn is_written(&self) -> bool {
        match &self.ty {
            ReturnType::Default => false,
            ReturnType::Type(_, ty) => {
                // Looked for in the type's tree, not its text: a name such
                // as `SimpleImpl` is written out.
                struct Unwritten(bool);
                impl<'ast> syn::visit::Visit<'ast> for Unwritten {
                    fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
                        self.0 = true;
                    }
                    fn visit_type_infer(&mut self, _: &'ast syn::TypeInfer) {
                        self.0 = true;
                    }
                }
                let mut unwritten = Unwritten(false);
                syn::visit::Visit::visit_type(&mut unwritten, ty);
                !unwritten.0
            }
        }
    }

    /// The `R` of an `async fn`'s body future.
    pub fn future_result_type(&self) -> TokenStream {
        match (&self.ty, self.inferable_type()) {
            (ReturnType::Default, _) => quote!(()),
            (_, Some(ty)) => quote!(#ty),
            (_, None) => quote!(_),
        }
    }

    fn inferable_type(&self) -> Option<Type> {
        let ReturnType::Type(_, ty) = &self.ty else {
            return None;
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
        match ty {
            Type::Infer(_) => None,
            ty => Some(ty),
        }
    }
}

/// A parameter pattern, as the analysis binds it.
pub struct Param {
    pub pat: syn::Pat,
    pub holds_mut_ref: bool,
    pub copied: bool,
}

/// Whether a parameter cannot change and its type is `Copy` as written: a
/// single name without `mut` of a number, `bool`, `char` or `&T` type.
fn is_unchanging_copy(pat: &syn::Pat, ty: &Type) -> bool {
    let single_name = matches!(pat, syn::Pat::Ident(ident)
        if ident.mutability.is_none() && ident.by_ref.is_none() && ident.subpat.is_none());
    let copy_type = match ty {
        Type::Reference(reference) => reference.mutability.is_none(),
        Type::Path(path) if path.qself.is_none() => crate::syntax::is_primitive(&path.path),
        _ => false,
    };
    single_name && copy_type
}

/// A method's `self`.
#[derive(Clone, Copy)]
pub struct SelfParam {
    pub self_token: syn::Token![self],
    /// `&mut self` (or `self: &mut Self`).
    pub mut_ref: bool,
    /// `self`, `mut self`, `self: Box<Self>`: not a reference.
    pub by_value: bool,
}

/// One body to expand.
pub struct Input {
    pub options: Options,
    pub owner: Owner,
    pub flavor: Flavor,
    pub receiver: Option<SelfParam>,
    pub params: Vec<Param>,
    pub output: Output,
    pub block: Block,
    /// Warnings about the item itself (`#[track_caller]`).
    pub warnings: Vec<crate::lints::Warning>,
    /// `named(..)`: the results are locals returned after the deferred calls.
    pub named: Option<crate::named::Named>,
    /// What the lazy parse's token scan saw in the body.
    pub facts: crate::lazy::BodyFacts,
}

impl Input {
    /// The parameters of a function.
    pub fn fn_params<'a>(
        inputs: impl Iterator<Item = &'a FnArg>,
    ) -> (Option<SelfParam>, Vec<Param>) {
        let mut receiver = None;
        let mut params = Vec::new();
        for input in inputs {
            match input {
                FnArg::Receiver(param) => {
                    let (mut_ref, by_value) = match &param.kind {
                        syn::ReceiverKind::Reference(_, _, mutability) => {
                            (mutability.is_some(), false)
                        }
                        syn::ReceiverKind::Typed(_, ty) => {
                            (is_mut_ref_type(ty), !matches!(&**ty, Type::Reference(_)))
                        }
                        _ => (false, true),
                    };
                    receiver = Some(SelfParam {
                        self_token: param.self_token,
                        mut_ref,
                        by_value,
                    });
                }
                FnArg::Typed(typed) => params.push(Param {
                    pat: (*typed.pat).clone(),
                    holds_mut_ref: is_mut_ref_type(&typed.ty),
                    copied: is_unchanging_copy(&typed.pat, &typed.ty),
                }),
            }
        }
        (receiver, params)
    }
}

/// The written return type, when it is one with no failure case.
fn infallible_output(output: &ReturnType) -> Option<String> {
    fn infallible(ty: &Type) -> bool {
        match ty {
            Type::Tuple(tuple) => tuple.elems.is_empty(),
            Type::Paren(paren) => infallible(&paren.elem),
            Type::Reference(reference) => {
                matches!(&*reference.elem, Type::Path(path) if path.qself.is_none()
                    && path.path.is_ident("str"))
            }
            Type::Path(path) if path.qself.is_none() => crate::syntax::is_primitive(&path.path),
            _ => false,
        }
    }
    match output {
        ReturnType::Default => Some("()".to_owned()),
        ReturnType::Type(_, ty) if infallible(ty) => Some(source_text(ty).replace("& ", "&")),
        ReturnType::Type(..) => None,
    }
}

pub fn check_signature(sig: &syn::Signature) -> syn::Result<()> {
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

/// `fn f(..) -> impl Future<Output = T> { async move { .. } }`: the `T`, when
/// the body is that one async block (which then gets an `async fn`'s
/// semantics, cancellation included).
pub fn async_block_body(function: &mut syn::ItemFn) -> Option<(Type, &mut Block)> {
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
    Some((output, &mut async_block.block))
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
pub fn not_a_function_at(item: &TokenStream) -> Span {
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
    Span::call_site()
}

/// `defer_scope!([allow(..);] |args| body)`.
pub struct ScopedClosure {
    pub options: Options,
    pub closure: syn::ExprClosure,
    /// `defer_scope!(async move { .. })`: an async block with its own
    /// defers (then `closure` is unused).
    pub async_block: Option<syn::ExprAsync>,
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
            let options = Options::parse_one(input)?;
            input.parse::<syn::Token![;]>().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "separate the options from the closure with `;`: \
                     `defer_scope!(allow(loop); || { .. })`",
                )
            })?;
            options
        } else {
            Options::default()
        };
        let expr: Expr = input.parse()?;
        let (closure, async_block) = match expr {
            Expr::Closure(closure) => (closure, None),
            Expr::Async(block) => (syn::parse_quote!(|| ()), Some(block)),
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`defer_scope!` takes a closure or an async block: \
                     `defer_scope!(move || { defer!(..); .. })`, `defer_scope!(async move { .. })`",
                ));
            }
        };
        if !input.is_empty() {
            return Err(input.error("`defer_scope!` takes one closure"));
        }
        Ok(ScopedClosure {
            options,
            closure,
            async_block,
        })
    }
}

impl ScopedClosure {
    /// The closure's body as an [`Input`].
    pub fn input(&mut self) -> syn::Result<Input> {
        if let Some(async_block) = &mut self.async_block {
            let block = std::mem::replace(
                &mut async_block.block,
                Block {
                    brace_token: Default::default(),
                    stmts: Vec::new(),
                },
            );
            let ends_in_value = matches!(block.stmts.last(), Some(Stmt::Expr(_, None)));
            let output = if ends_in_value {
                syn::parse_quote!(-> _)
            } else {
                ReturnType::Default
            };
            return Ok(Input {
                facts: crate::lazy::BodyFacts::default(),
                options: std::mem::take(&mut self.options),
                owner: Owner::Closure,
                flavor: Flavor::Async,
                receiver: None,
                params: Vec::new(),
                output: Output::new(output),
                block,
                warnings: Vec::new(),
                named: None,
            });
        }
        if let Some(asyncness) = &self.closure.asyncness {
            return Err(syn::Error::new_spanned(
                asyncness,
                "`defer_scope!` does not take async closures yet; call a `#[with_defer]` \
                 function from the closure instead",
            ));
        }
        let params = self
            .closure
            .inputs
            .iter()
            .map(|pat| Param {
                pat: pat.clone(),
                holds_mut_ref: false,
                copied: false,
            })
            .collect();
        let body = std::mem::replace(&mut *self.closure.body, Expr::Verbatim(TokenStream::new()));
        let block = match body {
            Expr::Block(block) if block.label.is_none() && block.attrs.is_empty() => block.block,
            other => Block {
                brace_token: Default::default(),
                stmts: vec![Stmt::Expr(other, None)],
            },
        };
        // Without `-> R`, a body that ends in a value returns it; one that
        // ends in a statement returns `()` (and so may recover without `ret`).
        let output = match &self.closure.output {
            ReturnType::Type(..) => self.closure.output.clone(),
            ReturnType::Default => {
                let ends_in_value = matches!(block.stmts.last(), Some(Stmt::Expr(_, None)));
                if ends_in_value {
                    syn::parse_quote!(-> _)
                } else {
                    ReturnType::Default
                }
            }
        };
        Ok(Input {
            facts: crate::lazy::BodyFacts::default(),
            options: std::mem::take(&mut self.options),
            owner: Owner::Closure,
            flavor: Flavor::Sync,
            receiver: None,
            params,
            output: Output::new(output),
            block,
            warnings: Vec::new(),
            named: None,
        })
    }
}

/// A closure literal the body returns as its value gets the argument types
/// of the `impl Fn(..)` it is returned as, where the user wrote none:
/// `move |&i| table[i]` becomes `move |&i: &usize| table[i]`, the
/// (higher-ranked) signature the function's return type gave it.
pub fn annotate_returned_closure(block: &mut Block, args: &[Type]) {
    let Some(Stmt::Expr(tail, None)) = block.stmts.last_mut() else {
        return;
    };
    if let Expr::Verbatim(tokens) = tail
        && let Ok(expr) = syn::parse2::<Expr>(tokens.clone())
    {
        *tail = expr;
    }
    let Expr::Closure(closure) = tail else {
        return;
    };
    if closure.inputs.len() != args.len() {
        return;
    }
    for (input, ty) in closure.inputs.iter_mut().zip(args) {
        if matches!(input, syn::Pat::Type(_)) {
            continue;
        }
        let pat = std::mem::replace(input, syn::Pat::Verbatim(TokenStream::new()));
        *input = syn::Pat::Type(syn::PatType {
            attrs: Vec::new(),
            pat: Box::new(pat),
            colon_token: Default::default(),
            ty: Box::new(ty.clone()),
        });
    }
}
