//! The input of one `defer!` / `errdefer!`: which of the forms it is.

use proc_macro2::Span;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, ExprClosure, Macro, MacroDelimiter, Pat};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Defer,
    ErrDefer,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Defer => "defer",
            Kind::ErrDefer => "errdefer",
        }
    }

    /// Recognizes `defer!`, `errdefer!` and their `fndefer::` paths.
    pub fn of(mac: &Macro) -> Option<Kind> {
        let segments = &mac.path.segments;
        let last = segments.last()?;
        let prefix_ok = match segments.len() {
            1 => true,
            2 => segments[0].ident == "fndefer",
            _ => false,
        };
        if !prefix_ok || !last.arguments.is_none() {
            return None;
        }
        if last.ident == "defer" {
            Some(Kind::Defer)
        } else if last.ident == "errdefer" {
            Some(Kind::ErrDefer)
        } else {
            None
        }
    }
}

/// What a deferred closure receives: nothing, the result slot (`|ret|`), or
/// for `errdefer!` the error (`|e|`).
pub enum Param {
    None,
    Result(Pat),
    Error(Pat),
}

pub enum Form {
    /// `defer! { stmts }`, `defer!({ .. })`, `defer!(unsafe { .. })`, or any
    /// macro other than std's formatting ones: runs whole at exit.
    Block(Expr),
    /// `defer!(|| ..)`, `defer!(|ret| ..)`, with or without `move`.
    Closure {
        param: Param,
        body: Expr,
        moved: bool,
    },
    /// `defer!(f(a, b))`.
    Call(syn::ExprCall),
    /// `defer!(recv.method(a))`.
    MethodCall(syn::ExprMethodCall),
    /// `defer!(println!(..))` and the rest of std's formatting macros.
    FormatMacro(Macro),
}

pub struct Site {
    pub kind: Kind,
    /// The `defer` / `errdefer` path, for spans.
    pub span: Span,
    pub path: syn::Path,
    pub form: Form,
}

impl Site {
    pub fn parse(kind: Kind, mac: &Macro) -> syn::Result<Site> {
        let span = mac.path.span();
        let form = if let MacroDelimiter::Brace(_) = mac.delimiter {
            let stmts = mac.parse_body_with(syn::Block::parse_within)?;
            if stmts.is_empty() {
                return Err(empty(kind, mac));
            }
            Form::Block(Expr::Block(syn::ExprBlock {
                attrs: Vec::new(),
                label: None,
                block: syn::Block {
                    brace_token: match &mac.delimiter {
                        MacroDelimiter::Brace(brace) => *brace,
                        _ => syn::token::Brace::default(),
                    },
                    stmts,
                },
            }))
        } else {
            if mac.tokens.is_empty() {
                return Err(empty(kind, mac));
            }
            let expr = (|input: ParseStream| {
                let expr: Expr = input.parse()?;
                if input.peek(syn::Token![;]) {
                    let rest = input.fork();
                    rest.parse::<syn::Token![;]>()?;
                    if rest.is_empty() {
                        let name = kind.name();
                        return Err(input.error(format!(
                            "remove the `;`: `{name}!({})`; statements go in a block: \
                             `{name}! {{ {}; }}`",
                            shown(&expr),
                            shown(&expr)
                        )));
                    }
                }
                if !input.is_empty() {
                    return Err(input.error(format!(
                        "`{}!` takes one call, closure or block; to defer several calls, \
                         write one `{}!` per call or a block: `{}! {{ a(); b(); }}`",
                        kind.name(),
                        kind.name(),
                        kind.name()
                    )));
                }
                Ok(expr)
            })
            .parse2(mac.tokens.clone())?;
            Site::form_of(kind, expr)?
        };
        Ok(Site {
            kind,
            span,
            path: mac.path.clone(),
            form,
        })
    }

    fn form_of(kind: Kind, expr: Expr) -> syn::Result<Form> {
        match expr {
            Expr::Closure(closure) => closure_form(kind, closure),
            Expr::Call(call) => Ok(Form::Call(call)),
            Expr::MethodCall(call) => Ok(Form::MethodCall(call)),
            Expr::Macro(mac) => {
                let is_format = mac
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|last| crate::scope::is_format_macro(&last.ident.to_string()));
                if is_format {
                    Ok(Form::FormatMacro(mac.mac))
                } else {
                    Ok(Form::Block(Expr::Macro(mac)))
                }
            }
            Expr::Block(_) | Expr::Unsafe(_) => Ok(Form::Block(expr)),
            Expr::Paren(paren) => Site::form_of(kind, *paren.expr),
            Expr::Group(group) => Site::form_of(kind, *group.expr),
            Expr::Path(path) => Err(syn::Error::new_spanned(
                &path,
                format!(
                    "`{}!` defers a call, not a value: write `{}!({}())`",
                    kind.name(),
                    kind.name(),
                    quote::ToTokens::to_token_stream(&path)
                ),
            )),
            Expr::Field(field) if matches!(field.member, syn::Member::Named(_)) => {
                Err(syn::Error::new_spanned(
                    &field,
                    format!(
                        "`{}!` defers a call, not a value: write `{}!({}())`",
                        kind.name(),
                        kind.name(),
                        shown(&field)
                    ),
                ))
            }
            Expr::Try(try_expr) => Err(syn::Error::new_spanned(
                try_expr.question_token,
                format!(
                    "`?` cannot leave deferred code: the function is already returning; \
                     handle the error at exit: `{}!(|| if let Err(e) = {} {{ .. }})`, or \
                     change the result with `{}!(|ret| ..)`",
                    kind.name(),
                    shown(&try_expr.expr),
                    kind.name()
                ),
            )),
            Expr::Await(wait) => Err(syn::Error::new_spanned(
                &wait,
                "deferred code cannot `.await`: it runs synchronously when the function \
                 returns (Rust has no async drop); spawn the work or do it before returning",
            )),
            Expr::Let(_) => Err(syn::Error::new_spanned(
                &expr,
                format!(
                    "`let` is a statement: write a block, `{}! {{ {}; }}`",
                    kind.name(),
                    shown(&expr)
                ),
            )),
            other => Err(syn::Error::new_spanned(
                &other,
                format!(
                    "`{}!` takes a call (`{}!(f(x))`), a method call (`{}!(x.close())`), \
                     a closure (`{}!(|| ..)`) or a block (`{}! {{ .. }}`); \
                     to run this expression at exit, write `{}!(|| ..)` around it",
                    kind.name(),
                    kind.name(),
                    kind.name(),
                    kind.name(),
                    kind.name(),
                    kind.name()
                ),
            )),
        }
    }
}

fn closure_form(kind: Kind, closure: ExprClosure) -> syn::Result<Form> {
    if let Some(asyncness) = &closure.asyncness {
        return Err(syn::Error::new_spanned(
            asyncness,
            "deferred code cannot be `async`: it runs synchronously when the function returns",
        ));
    }
    if let syn::ReturnType::Type(arrow, ty) = &closure.output {
        let is_unit = matches!(&**ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty());
        if !is_unit {
            return Err(syn::Error::new_spanned(
                quote::quote!(#arrow #ty),
                "deferred code returns `()`: remove the return type",
            ));
        }
    }
    let moved = closure.capture.is_some();
    let mut inputs = closure.inputs.into_iter();
    let param = match (inputs.next(), inputs.next()) {
        (None, _) => Param::None,
        (Some(pat), None) => match kind {
            Kind::Defer => Param::Result(pat),
            Kind::ErrDefer => Param::Error(pat),
        },
        (Some(_), Some(extra)) => {
            let what = match kind {
                Kind::Defer => "`|ret|`, the result slot",
                Kind::ErrDefer => "`|e|`, the error being returned",
            };
            return Err(syn::Error::new_spanned(
                extra,
                format!(
                    "a deferred closure takes no parameter or one: {what}; \
                     pass values as arguments of a call instead"
                ),
            ));
        }
    };
    Ok(Form::Closure {
        param,
        body: *closure.body,
        moved,
    })
}

/// Source-like text of `tokens` for a message: `file.close`, not `file . close`.
pub fn shown(tokens: &impl quote::ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    text.replace(" . ", ".")
        .replace(" :: ", "::")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
}

fn empty(kind: Kind, mac: &Macro) -> syn::Error {
    let name = kind.name();
    syn::Error::new_spanned(
        mac,
        format!(
            "`{name}!` needs something to defer: a call `{name}!(file.close())`, \
             a closure `{name}!(|| ..)` or a block `{name}! {{ .. }}`"
        ),
    )
}
