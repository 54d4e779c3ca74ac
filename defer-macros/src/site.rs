//! The input of one `defer!` / `errdefer!`: which of the forms it is.

use proc_macro2::Span;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, ExprClosure, Macro, MacroDelimiter, Pat};

use crate::diag;
use crate::imports::Names;
use crate::syntax::{self, is_format_macro, macro_name, source_text};

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

    /// Recognizes `defer!`, `errdefer!` and their `fndefer::` paths; a bare
    /// name only when it is fndefer's in this file.
    pub fn of(mac: &Macro, names: Names) -> Option<Kind> {
        let segments = &mac.path.segments;
        let last = segments.last()?;
        let (bare_ok, prefix_ok) = match segments.len() {
            1 => (true, true),
            2 => (false, segments[0].ident == "fndefer"),
            _ => (false, false),
        };
        if !prefix_ok || !last.arguments.is_none() {
            return None;
        }
        if last.ident == "defer" && (names.defer || !bare_ok) {
            Some(Kind::Defer)
        } else if last.ident == "errdefer" && (names.errdefer || !bare_ok) {
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
    /// The user's `defer` / `errdefer` path: spans, and the import kept used.
    pub path: syn::Path,
    pub form: Form,
}

impl Site {
    /// The `defer` / `errdefer` path's span: where the site's warnings go.
    pub fn span(&self) -> Span {
        self.path.span()
    }

    pub fn parse(kind: Kind, mac: &Macro) -> syn::Result<Site> {
        let form = if let MacroDelimiter::Brace(brace_token) = mac.delimiter {
            let stmts = mac.parse_body_with(syn::Block::parse_within)?;
            if stmts.is_empty() {
                return Err(empty(kind, mac));
            }
            Form::Block(Expr::Block(syn::ExprBlock {
                attrs: Vec::new(),
                label: None,
                block: syn::Block { brace_token, stmts },
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
                            source_text(&expr),
                            source_text(&expr)
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
                if is_format_macro(&macro_name(&mac.mac)) {
                    Ok(Form::FormatMacro(mac.mac))
                } else {
                    Ok(Form::Block(Expr::Macro(mac)))
                }
            }
            Expr::Block(_) | Expr::Unsafe(_) => Ok(Form::Block(expr)),
            Expr::Paren(paren) => Site::form_of(kind, *paren.expr),
            Expr::Group(group) => Site::form_of(kind, *group.expr),
            Expr::Path(path) => Err(not_a_call(
                kind,
                &path,
                &quote::ToTokens::to_token_stream(&path).to_string(),
            )),
            Expr::Field(field) if matches!(field.member, syn::Member::Named(_)) => {
                Err(not_a_call(kind, &field, &source_text(&field)))
            }
            Expr::Try(try_expr) => Err(diag::question_mark_in_site(
                kind,
                &try_expr.expr,
                &try_expr.question_token,
            )),
            Expr::Await(wait) => Err(diag::await_in_deferred_code(&wait)),
            // `defer!(let _ = tx.rollback())`, rustc's own help for the
            // `unused_must_use` of `defer!(tx.rollback())`: the call runs at
            // exit and its result is discarded.
            Expr::Let(discard) if matches!(&*discard.pat, Pat::Wild(_)) => {
                let syn::ExprLet {
                    let_token,
                    pat,
                    eq_token,
                    expr,
                    ..
                } = discard;
                Ok(Form::Block(
                    syn::parse_quote! {{ #let_token #pat #eq_token #expr; }},
                ))
            }
            Expr::Let(_) => Err(syn::Error::new_spanned(
                &expr,
                format!(
                    "`let` is a statement: write a block, `{}! {{ {}; }}`",
                    kind.name(),
                    source_text(&expr)
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
    if let syn::ReturnType::Type(arrow, ty) = &closure.output
        && !syntax::is_unit(ty)
    {
        return Err(syn::Error::new_spanned(
            quote::quote!(#arrow #ty),
            "deferred code returns `()`: remove the return type",
        ));
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

/// `defer!(x)` of a path or field: the value, not a call of it.
fn not_a_call(kind: Kind, tokens: &impl quote::ToTokens, shown: &str) -> syn::Error {
    let name = kind.name();
    syn::Error::new_spanned(
        tokens,
        format!("`{name}!` defers a call, not a value: write `{name}!({shown}())`"),
    )
}

/// Deferred code ends the deferred call, never the function: no `?`, no
/// `return value`, no `.await`, no nested `defer!`, no `break`/`continue`
/// aimed at a loop outside the deferred code. Closures, async blocks and
/// items inside it are their own code and are not entered.
pub fn validate_deferred_code(body: &Expr, names: Names) -> syn::Result<()> {
    let mut check = DeferredCodeCheck {
        names,
        error: None,
        enclosing: Vec::new(),
    };
    check.visit_expr(body);
    match check.error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

struct DeferredCodeCheck {
    names: Names,
    error: Option<syn::Error>,
    /// The loops (`true`) and labeled blocks of the deferred code around
    /// the current expression, with their labels.
    enclosing: Vec<(Option<String>, bool)>,
}

impl DeferredCodeCheck {
    /// Whether a `break`/`continue` with this label stays in the code.
    fn stays(&self, label: Option<&syn::Lifetime>) -> bool {
        match label {
            None => self.enclosing.iter().any(|(_, is_loop)| *is_loop),
            Some(label) => {
                let name = label.ident.to_string();
                self.enclosing
                    .iter()
                    .any(|(own, _)| own.as_deref() == Some(&*name))
            }
        }
    }

    fn enter(&mut self, label: Option<&syn::Label>, is_loop: bool, expr: &Expr) {
        let name = label.map(|label| label.name.ident.to_string());
        self.enclosing.push((name, is_loop));
        syn::visit::visit_expr(self, expr);
        self.enclosing.pop();
    }

    fn site(&mut self, mac: &Macro) -> bool {
        match Kind::of(mac, self.names) {
            Some(kind) => {
                self.error = Some(diag::site_in_deferred_code(kind, &mac.path));
                true
            }
            None => false,
        }
    }
}

impl<'ast> Visit<'ast> for DeferredCodeCheck {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        if self.error.is_some() {
            return;
        }
        match expr {
            Expr::Break(brk) if !self.stays(brk.label.as_ref()) => {
                self.error = Some(diag::leaves_deferred_code("break", brk.break_token.span));
            }
            Expr::Continue(cont) if !self.stays(cont.label.as_ref()) => {
                self.error = Some(diag::leaves_deferred_code(
                    "continue",
                    cont.continue_token.span,
                ));
            }
            Expr::ForLoop(inner) => {
                // The iterated expression is outside the loop.
                self.visit_expr(&inner.expr);
                let label = inner.label.as_ref().map(|l| l.name.ident.to_string());
                self.enclosing.push((label, true));
                self.visit_block(&inner.body);
                self.enclosing.pop();
            }
            Expr::While(inner) => self.enter(inner.label.as_ref(), true, expr),
            Expr::Loop(inner) => self.enter(inner.label.as_ref(), true, expr),
            Expr::Block(inner) if inner.label.is_some() => {
                self.enter(inner.label.as_ref(), false, expr);
            }
            Expr::Try(try_expr) => {
                self.error = Some(diag::question_mark_in_deferred_code(
                    &try_expr.question_token,
                ));
            }
            Expr::Return(ret) if ret.expr.is_some() => {
                self.error = Some(diag::return_value_in_deferred_code(ret));
            }
            Expr::Await(wait) => self.error = Some(diag::await_in_deferred_code(wait)),
            Expr::Macro(mac) if self.site(&mac.mac) => {}
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => syn::visit::visit_expr(self, expr),
        }
    }
    fn visit_stmt_macro(&mut self, mac: &'ast syn::StmtMacro) {
        if self.error.is_none() {
            self.site(&mac.mac);
        }
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}
