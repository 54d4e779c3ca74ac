//! One site's form reduced to data: what it evaluates now, what it runs at
//! exit, which body locals its exit code uses in place, and the lints and
//! body-code errors it raises. Names are resolved in the scope of the site.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Ident, Macro};

use crate::analyze::{LocalId, Resolved};
use crate::args::Lint;
use crate::diag;
use crate::imports::Names;
use crate::lints::{self, Warning};
use crate::scope::{FreeNames, Scopes};
use crate::site::{Form, Param, validate_deferred_code};
use crate::syntax::{self, is_recover_call};

/// A site reduced to data: what it evaluates now, what it runs at exit, and
/// the body locals its exit code uses in place.
pub struct Lowered {
    pub now: Vec<NowValue>,
    pub exit: Exit,
    pub captures: Vec<Capture>,
    /// The parameters (or `self`) the exit code uses in place: it cannot
    /// run when an `async fn`'s future is dropped, and they stay in the
    /// function's frame.
    pub params_used: Vec<String>,
}

/// A value computed at the defer point, bound as `__v{index}` at exit.
pub enum NowValue {
    Expr(Expr),
    /// `recover()` as an argument: `None`, typed through the user's path.
    RecoverNow(Expr),
    /// The text of a format macro.
    FormatText {
        span: Span,
        args: Vec<Expr>,
    },
    /// A `move` closure's code, built now (its tokens come from [`Exit::Code`]).
    MoveClosure,
}

/// How a callee, receiver, argument or destination is used at exit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Operand {
    /// As written, in place at exit.
    AtExit,
    /// The value evaluated at the defer point, `__v{index}`.
    Now(usize),
}

pub enum Exit {
    Call {
        call: syn::ExprCall,
        callee: Operand,
        args: Vec<Operand>,
    },
    MethodCall {
        call: syn::ExprMethodCall,
        receiver: Operand,
        args: Vec<Operand>,
    },
    /// `defer!(recover())`: defers `recover` itself, a no-op (linted).
    DeferredRecover(syn::ExprCall),
    Format {
        mac: Macro,
        /// `write!`'s destination.
        destination: Option<(Expr, Operand)>,
        /// The formatted text's `__v` index; `None` when the arguments are
        /// one literal without `{}`, printed as written.
        text: Option<usize>,
        args: Vec<Expr>,
    },
    /// A block or closure: `moved` when it is a `move` closure built now.
    Code {
        param: Param,
        body: Expr,
        moved: bool,
    },
}

/// A body local the exit code uses in place.
pub struct Capture {
    /// The name as the deferred code uses it.
    pub ident: Ident,
    pub local: LocalId,
    /// A later statement of the block that declares the local mentions it
    /// (only recorded for captures from a deeper block).
    pub mentioned_later: bool,
}

/// Reduces one site's form to data, resolving the names it uses.
pub struct Lowering<'a> {
    pub names: Names,
    pub scopes: &'a Scopes<Resolved>,
    pub now: Vec<NowValue>,
    pub captures: Vec<Capture>,
    pub params_used: Vec<String>,
    pub warnings: &'a mut Vec<Warning>,
    pub errors: &'a mut Vec<syn::Error>,
}

impl Lowering<'_> {
    pub fn form(&mut self, form: Form) -> syn::Result<Exit> {
        match form {
            Form::Block(body) => self.code(Param::None, body, false),
            Form::Closure { param, body, moved } => self.code(param, body, moved),
            Form::Call(call) => Ok(self.call(call)),
            Form::MethodCall(call) => Ok(self.method_call(call)),
            Form::FormatMacro(mac) => self.format_macro(mac),
        }
    }

    /// Evaluates a value at the defer point; returns how the exit code reads it.
    fn now(&mut self, value: NowValue) -> Operand {
        self.now.push(value);
        Operand::Now(self.now.len() - 1)
    }

    /// Deferred code names `ident`: a body local is used in place at exit.
    fn capture(&mut self, ident: &Ident) {
        match self.scopes.lookup(&ident.to_string()) {
            Some(Resolved::Local(local))
                if !self.captures.iter().any(|capture| capture.local == *local) =>
            {
                self.captures.push(Capture {
                    ident: ident.clone(),
                    local: *local,
                    mentioned_later: false,
                });
            }
            Some(Resolved::Local(_)) => {}
            Some(Resolved::Param) => self.params_used.push(ident.to_string()),
            None => {}
        }
    }

    /// A place used at exit (`x`, `&x.y`): its root local is captured.
    /// Returns false when the expression is no such place.
    fn capture_place(&mut self, expr: &Expr) -> bool {
        if syntax::is_item_place(expr) {
            return true;
        }
        match syntax::place_root(expr) {
            Some(root) => {
                self.capture(root);
                true
            }
            None => false,
        }
    }

    /// Whether `expr` is built only of borrows of places (collected), literals,
    /// constants and tuple, array, struct or variant constructors.
    fn built_of_borrows<'e>(&self, expr: &'e Expr, places: &mut Vec<&'e Expr>) -> bool {
        match expr {
            Expr::Reference(reference) => {
                let place = &*reference.expr;
                let is_place = syntax::is_item_place(place) || syntax::place_root(place).is_some();
                if is_place {
                    places.push(place);
                }
                is_place
            }
            Expr::Lit(_) => true,
            Expr::Paren(paren) => self.built_of_borrows(&paren.expr, places),
            Expr::Tuple(tuple) => tuple.elems.iter().all(|e| self.built_of_borrows(e, places)),
            Expr::Array(array) => array.elems.iter().all(|e| self.built_of_borrows(e, places)),
            Expr::Struct(literal) => {
                literal.rest.is_none()
                    && literal
                        .fields
                        .iter()
                        .all(|field| self.built_of_borrows(&field.expr, places))
            }
            Expr::Call(call) => {
                self.is_constant_path(&call.func)
                    && call
                        .args
                        .iter()
                        .all(|arg| self.built_of_borrows(arg, places))
            }
            Expr::Path(_) => self.is_constant_path(expr),
            _ => false,
        }
    }

    /// `None`, `MAX`, `Some`, `Kind::Busy`: a path whose last segment is
    /// capitalised and that is not a local or parameter.
    fn is_constant_path(&self, expr: &Expr) -> bool {
        let Expr::Path(path) = expr else {
            return false;
        };
        let capitalised = path.path.segments.last().is_some_and(|segment| {
            segment
                .ident
                .to_string()
                .starts_with(|c: char| c.is_ascii_uppercase())
        });
        let is_binding = path
            .path
            .get_ident()
            .is_some_and(|ident| self.scopes.lookup(&ident.to_string()).is_some());
        path.qself.is_none() && capitalised && !is_binding
    }

    /// Code evaluated at the defer point is body code: `recover()` there is
    /// only legal as a direct argument (linted), so anything deeper is
    /// reported. Closures and async blocks are entered (they run in the
    /// body), items are not.
    fn check_body_code(&mut self, expr: &Expr) {
        struct RecoverInBodyCode<'e>(&'e mut Vec<syn::Error>, Names);
        impl<'ast> Visit<'ast> for RecoverInBodyCode<'_> {
            fn visit_expr(&mut self, expr: &'ast Expr) {
                if is_recover_call(expr, self.1) {
                    self.0.push(diag::recover_outside(expr));
                    return;
                }
                syn::visit::visit_expr(self, expr);
            }
            fn visit_item(&mut self, _: &'ast syn::Item) {}
        }
        RecoverInBodyCode(self.errors, self.names).visit_expr(expr);
    }

    fn eager_time(&mut self, expr: &Expr) {
        if let Some(span) = syntax::time_measured_at(expr) {
            self.warnings
                .push(Warning::new(Lint::EagerTime, span, lints::EAGER_TIME));
        }
    }

    /// A call argument: `&place` is used in place at exit (its root
    /// captured), anything else is evaluated now, as Go evaluates arguments.
    fn argument(&mut self, arg: &mut Expr) -> Operand {
        if let Expr::Reference(reference) = &*arg
            && self.capture_place(&reference.expr)
        {
            return Operand::AtExit;
        }
        // `Some(&mut err)`, `(&a, &b)`: Go's `defer f(&err)` passes a
        // pointer, so a value built only of borrows, constructors and
        // constants is built at exit too, and sees the final values.
        let mut places = Vec::new();
        if self.built_of_borrows(arg, &mut places) && !places.is_empty() {
            for place in places {
                self.capture_place(place);
            }
            return Operand::AtExit;
        }
        // A non-`move` closure argument is a Go function literal: it captures
        // variables, not values, so it is built at exit and the locals it
        // names are captured (`defer!(LOG.with(|l| l.push(i)))` in a loop).
        if let Expr::Closure(closure) = arg
            && closure.capture.is_none()
        {
            for ident in FreeNames::of_closure(closure) {
                self.capture(&ident);
            }
            return Operand::AtExit;
        }
        if is_recover_call(arg, self.names) {
            self.warnings.push(Warning::new(
                Lint::ImmediateRecover,
                arg.span(),
                lints::IMMEDIATE_RECOVER,
            ));
            return self.now(NowValue::RecoverNow(arg.clone()));
        }
        self.eager_time(arg);
        self.check_body_code(arg);
        self.now(NowValue::Expr(arg.clone()))
    }

    fn arguments(
        &mut self,
        args: &mut syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    ) -> Vec<Operand> {
        args.iter_mut().map(|arg| self.argument(arg)).collect()
    }

    fn call(&mut self, mut call: syn::ExprCall) -> Exit {
        // `defer!(defer_scope!(|| { .. })())`, Go's deferred function literal:
        // built at exit like `defer!(|| ..)`, seeing final values.
        if call.args.is_empty() && is_scope_literal(&call.func) {
            // Called as written: `defer_scope!` hands its closure back in a
            // block, so clippy's `redundant_closure_call` does not apply.
            let mut body = Expr::Call(call);
            for ident in FreeNames::of(&mut body) {
                self.capture(&ident);
            }
            return Exit::Code {
                param: Param::None,
                body,
                moved: false,
            };
        }
        if is_recover_call(&Expr::Call(call.clone()), self.names) {
            self.warnings.push(Warning::new(
                Lint::ImmediateRecover,
                syntax::last_segment_at(&call.func),
                lints::DEFERRED_RECOVER,
            ));
            return Exit::DeferredRecover(call);
        }
        // A path to an item or a parameter is called at exit; a local (a
        // closure) or any other callee is evaluated now (`defer!(trace("x")())`,
        // linted like `a().b()`, as revive does).
        let callee_at_exit = match &*call.func {
            Expr::Path(path) if path.qself.is_none() => match path.path.get_ident() {
                Some(ident) => match self.scopes.lookup(&ident.to_string()) {
                    Some(Resolved::Local(_)) => false,
                    Some(Resolved::Param) => {
                        self.params_used.push(ident.to_string());
                        true
                    }
                    None => true,
                },
                None => true,
            },
            _ => false,
        };
        let callee = if callee_at_exit {
            Operand::AtExit
        } else {
            self.call_chain(&call.func, lints::CALLEE_NOW);
            self.now(NowValue::Expr((*call.func).clone()))
        };
        let is_drop = matches!(&*call.func, Expr::Path(path)
            if syntax::path_is(&path.path, &["drop"])
                || syntax::path_is(&path.path, &["std", "mem", "drop"])
                || syntax::path_is(&path.path, &["core", "mem", "drop"]));
        if is_drop
            && let Some(arg) = call.args.first()
            && matches!(arg, Expr::Call(_) | Expr::MethodCall(_))
        {
            self.warnings.push(Warning::new(
                Lint::EagerDrop,
                syntax::called_now_at(arg),
                lints::EAGER_DROP,
            ));
        }
        let args = self.arguments(&mut call.args);
        Exit::Call { call, callee, args }
    }

    /// A callee or receiver evaluated now that is itself a call: only the
    /// outer call waits for the function to return (`call_chain`).
    fn call_chain(&mut self, evaluated_now: &Expr, message: &'static str) {
        if matches!(
            evaluated_now,
            Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)
        ) {
            self.warnings.push(Warning::new(
                Lint::CallChain,
                syntax::called_now_at(evaluated_now),
                message,
            ));
        }
    }

    fn method_call(&mut self, mut call: syn::ExprMethodCall) -> Exit {
        let receiver = if self.capture_place(&call.receiver) {
            Operand::AtExit
        } else {
            self.call_chain(&call.receiver, lints::CALL_CHAIN);
            self.check_body_code(&call.receiver);
            self.now(NowValue::Expr((*call.receiver).clone()))
        };
        let args = self.arguments(&mut call.args);
        Exit::MethodCall {
            call,
            receiver,
            args,
        }
    }

    /// `println!`, `write!` and the rest: the formatted text is made now, as
    /// Go's `defer fmt.Println(x)` evaluates `x` now; the output happens at exit.
    fn format_macro(&mut self, mac: Macro) -> syn::Result<Exit> {
        let name = syntax::macro_name(&mac);
        let args = mac.parse_body_with(
            syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
        )?;
        let mut args: Vec<Expr> = args.into_iter().collect();
        let mut destination = None;
        if name == "write" || name == "writeln" {
            if args.is_empty() {
                return Err(diag::write_needs_destination(&mac, &name));
            }
            let dest = args.remove(0);
            let operand = if self.capture_place(&dest) {
                Operand::AtExit
            } else {
                self.now(NowValue::Expr(dest.clone()))
            };
            destination = Some((dest, operand));
        }
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
        let text = if literal_only {
            None
        } else {
            for arg in &args {
                // `println!("took {:?}", start.elapsed())`: formatted now.
                self.eager_time(arg);
                self.check_body_code(arg);
            }
            let span = mac.span();
            match self.now(NowValue::FormatText {
                span,
                args: std::mem::take(&mut args),
            }) {
                Operand::Now(index) => Some(index),
                Operand::AtExit => None,
            }
        };
        Ok(Exit::Format {
            mac,
            destination,
            text,
            args,
        })
    }

    /// Closures and blocks: late-bound code that runs at exit. A `move`
    /// closure is built now and called at exit.
    fn code(&mut self, param: Param, mut body: Expr, moved: bool) -> syn::Result<Exit> {
        validate_deferred_code(&body, self.names)?;
        if moved {
            self.now(NowValue::MoveClosure);
        } else {
            for ident in FreeNames::of(&mut body) {
                self.capture(&ident);
            }
        }
        Ok(Exit::Code { param, body, moved })
    }
}

/// `defer_scope!(..)` (parenthesized or not) as a callee.
fn is_scope_literal(callee: &Expr) -> bool {
    match callee {
        Expr::Paren(paren) => is_scope_literal(&paren.expr),
        Expr::Group(group) => is_scope_literal(&group.expr),
        Expr::Macro(mac) => {
            syntax::path_is(&mac.mac.path, &["defer_scope"])
                || syntax::path_is(&mac.mac.path, &["fndefer", "defer_scope"])
        }
        _ => false,
    }
}
