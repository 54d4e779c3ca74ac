//! What `#[with_defer]` expands to. **Not public API**: nothing here is
//! covered by semver, and the facade pins this crate to the exact version its
//! macros were built against.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::Panic;
pub use crate::stack::SmallStack;

type Payload = Box<dyn Any + Send + 'static>;

/// The state a function's deferred calls share: the result slot (Go's named
/// results) and the panic in flight. Two public fields so deferred code can
/// borrow `ret` and call `recover()` at the same time.
pub struct Frame<R> {
    pub ret: Option<R>,
    pub panic: PanicSlot,
}

/// The panic in flight, if any.
pub struct PanicSlot(Option<Payload>);

/// Stands in a [`PanicSlot`] while its panic is published for a handler
/// call. Nothing identifies the slot by address: an address stored in a
/// thread-local would keep every frame in memory on the path where nothing
/// panics. (A `Box` of a zero-sized type does not allocate.)
struct Published;

/// Runs the function's body and catches a panic so the deferred calls can
/// run (and `recover()` can stop it). `body` is passed straight to an
/// `FnOnce` bound so a body returning a borrow of `&mut self` type-checks.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn run<R>(_: &Marker<R>, body: impl FnOnce() -> R) -> Frame<R> {
    #[cfg(not(debug_assertions))]
    {
        // The result comes back through `catch_unwind`'s own `Result`, not
        // stored into an `Option` from inside the catch: with the payload's
        // pointer sharing `R`'s bytes, LLVM keeps word-sized pieces of the
        // slot and returns a `|ret|`-changed `Result<u64, E>` in three
        // stores (29.1 instructions, `map_err`'s count) instead of six
        // byte-sized ones (38.1, a hand-written `Option` slot's). It costs
        // 16 bytes of stack in a `|ret|` frame (benches/stack_depth.sh).
        match catch_unwind(AssertUnwindSafe(body)) {
            Ok(value) => Frame {
                ret: Some(value),
                panic: PanicSlot(None),
            },
            Err(payload) => Frame {
                ret: None,
                panic: PanicSlot(Some(payload)),
            },
        }
    }
    // Debug builds: one closure straight to the shared dyn catch (each
    // wrapper would add a frame and its temporaries to the stack).
    #[cfg(debug_assertions)]
    {
        let mut body = Some(body);
        let mut ret = None;
        let panic = catch_dyn(&mut || {
            if let Some(body) = body.take() {
                ret = Some(body());
            }
        });
        Frame {
            ret,
            panic: PanicSlot(panic),
        }
    }
}

/// Runs `f`, returning the payload if it panicked.
///
/// Debug builds: one shared `catch_unwind` behind `dyn`, so functions and
/// deferred calls do not each instantiate `catch_unwind` for their own
/// closure type (most of what expanded code costs to build unoptimized).
#[cfg(debug_assertions)]
#[inline]
fn catch(f: impl FnOnce()) -> Option<Payload> {
    let mut f = Some(f);
    catch_dyn(&mut || {
        if let Some(f) = f.take() {
            f();
        }
    })
}

/// The shared catch of debug builds. The body's catch too, whose frame is
/// on the stack at every level of a recursion: so the smallest spelling.
#[cfg(debug_assertions)]
fn catch_dyn(f: &mut dyn FnMut()) -> Option<Payload> {
    catch_unwind(AssertUnwindSafe(f)).err()
}

/// [`catch_dyn`] for a deferred call, which runs after the body returned
/// (its frame is never under a recursion): a `match`, not `.err()`, since
/// unoptimized `Result::err` and its drop glue are calls of their own (~30
/// instructions a call, for 48 bytes more of frame).
#[cfg(debug_assertions)]
#[allow(clippy::manual_ok_err)]
fn catch_call(f: &mut dyn FnMut()) -> Option<Payload> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(()) => None,
        Err(payload) => Some(payload),
    }
}

/// Optimized builds: `catch_unwind` on the closure itself, which inlines to
/// a direct call with a landing pad (the dyn detour would cost LLVM time
/// to see through in every function).
#[cfg(not(debug_assertions))]
#[inline(always)]
fn catch(f: impl FnOnce()) -> Option<Payload> {
    catch_unwind(AssertUnwindSafe(f)).err()
}

/// Names the function's result type before the body runs, so closures
/// deferred with `move` can be typed `FnOnce(&mut Frame<R>)`.
pub struct Marker<R>(PhantomData<fn() -> R>);

impl<R> Marker<R> {
    #[inline(always)]
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Marker(PhantomData)
    }
}

/// Types a closure that is stored now and called at exit.
#[inline(always)]
pub fn deferred<R, F: FnOnce(&mut Frame<R>)>(_: &Marker<R>, f: F) -> F {
    f
}

impl<R> Frame<R> {
    /// Runs a dynamic frame's epilogue: `pop_and_call` pops and calls the
    /// deferred calls until the stack is empty. One `catch_unwind` covers them
    /// all; if one panics, its panic replaces the one in flight and the loop
    /// goes on with the rest (the panicking entry was popped already).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn drain(&mut self, mut pop_and_call: impl FnMut(&mut Self)) {
        loop {
            let frame = &mut *self;
            match catch(|| pop_and_call(frame)) {
                None => return,
                Some(payload) => self.panic.replace(payload),
            }
        }
    }

    /// One deferred call of a dynamic frame, inside [`Frame::drain`]: a
    /// closure of its own, so `return;` in deferred code ends just that call.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn call_in_drain(&mut self, deferred: impl FnOnce(&mut Self)) {
        self.call_as::<false>(false, deferred);
    }

    /// [`Frame::call_in_drain`] for a handler call (see [`Frame::call_handler`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn call_handler_in_drain(&mut self, deferred: impl FnOnce(&mut Self)) {
        self.call_as::<false>(true, deferred);
    }

    /// Runs one deferred call. A panic in it replaces the one in flight, as in
    /// Go, and the remaining deferred calls still run: nothing here unwinds
    /// out of a `Drop`, so nothing aborts.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn call(&mut self, deferred: impl FnOnce(&mut Self)) {
        self.call_as::<true>(false, deferred);
    }

    /// [`Frame::call`] for a deferred call of a function or method
    /// (`defer!(handle_crash())`) or a `|ret|` closure: while the function
    /// panics, a `recover()` the handler calls stops the panic.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn call_handler(&mut self, deferred: impl FnOnce(&mut Self)) {
        self.call_as::<true>(true, deferred);
    }

    /// Runs one deferred call, in a catch of its own if `CATCHES` (in a
    /// dynamic frame's drain, the drain's catch covers the calls that run
    /// while nothing panics). While the function panics, a handler call's
    /// panic is published to the thread for the call's duration, so a
    /// handler that calls [`recover`](crate::recover) itself (Go's `defer
    /// HandleCrash()`) can stop it; for any other deferred call an outer
    /// function's published panic is hidden meanwhile, so the helpers this
    /// code calls see no panic (Go's rule). That path always catches, so the
    /// published state is restored whatever the call does. It pays, out of
    /// line and by value: with `CATCHES`, `deferred` is called from one
    /// place and the frame's address is not taken, so on the path where
    /// nothing panics the frame stays in registers (a separately inlined
    /// panicking path made LLVM keep it in memory: 8 static defers cost
    /// 121 instructions instead of 104).
    #[cfg(not(debug_assertions))]
    #[inline(always)]
    fn call_as<const CATCHES: bool>(&mut self, handler: bool, deferred: impl FnOnce(&mut Self)) {
        let panicking = self.panic.0.is_some();
        if panicking {
            self.panic.0 = published::begin_call(handler, self.panic.0.take());
        }
        let panic = if CATCHES || panicking {
            let frame = &mut *self;
            catch(|| deferred(frame))
        } else {
            deferred(self);
            None
        };
        if panicking {
            self.panic.0 = published::end_call(handler, self.panic.0.take());
        }
        if let Some(payload) = panic {
            self.panic.replace(payload);
        }
    }

    /// Debug builds: the path where nothing panics spelled out, and the
    /// panicking path shared by every call site of a result type behind
    /// `dyn` (unoptimized code pays for every layer and every instantiation).
    #[cfg(debug_assertions)]
    #[inline(always)]
    #[allow(clippy::redundant_pattern_matching)]
    fn call_as<const CATCHES: bool>(&mut self, handler: bool, deferred: impl FnOnce(&mut Self)) {
        // A pattern, not `is_some()` (a call when unoptimized).
        if let Some(_) = self.panic.0 {
            let mut deferred = Some(deferred);
            self.call_while_panicking(handler, &mut |frame| {
                if let Some(deferred) = deferred.take() {
                    deferred(frame);
                }
            });
        } else if CATCHES {
            // Straight to the shared catch: no `catch` wrapper in between.
            let frame = &mut *self;
            let mut deferred = Some(deferred);
            let panic = catch_call(&mut || {
                if let Some(deferred) = deferred.take() {
                    deferred(frame);
                }
            });
            if let Some(payload) = panic {
                self.panic.replace(payload);
            }
        } else {
            deferred(self);
        }
    }

    #[cfg(debug_assertions)]
    #[cold]
    fn call_while_panicking(&mut self, handler: bool, deferred: &mut dyn FnMut(&mut Self)) {
        self.panic.0 = published::begin_call(handler, self.panic.0.take());
        let frame = &mut *self;
        let panic = catch(|| deferred(frame));
        self.panic.0 = published::end_call(handler, self.panic.0.take());
        if let Some(payload) = panic {
            self.panic.replace(payload);
        }
    }

    /// Ends a function whose result type is written out: its result, the
    /// panic, or after a `recover()` that left no result, `zero()`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn finish_or(self, zero: impl FnOnce() -> R) -> R {
        if let Some(payload) = self.panic.0 {
            resume_unwind(payload)
        }
        match self.ret {
            Some(value) => value,
            None => zero(),
        }
    }

    /// Ends a function that has a return type: its result, or the panic.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn finish(self, function: &'static str) -> R {
        if let Some(payload) = self.panic.0 {
            resume_unwind(payload)
        }
        match self.ret {
            Some(value) => value,
            None => missing_result(function),
        }
    }
}

impl Frame<()> {
    /// Ends a function without a return type: after a `recover()` it simply
    /// returns, as a Go function without results does.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn finish_unit(self) {
        if let Some(payload) = self.panic.0 {
            resume_unwind(payload)
        }
    }
}

/// Whether an `errdefer!` without an error parameter should run: the
/// function is panicking, is returning `Err`/`None`, or recovered a panic
/// without setting a result (so it is about to panic again).
#[inline]
pub fn is_failing<R: Fallible>(ret: &Option<R>, panic: &PanicSlot) -> bool {
    panic.is_panicking() || ret.as_ref().is_none_or(Fallible::is_failure)
}

/// The error being returned, for `errdefer!(|e| ..)`; borrows only the
/// result slot so the deferred code can still call `recover()`.
#[inline]
pub fn error_mut<'a, R: Fallible>(
    ret: &'a mut Option<R>,
    panic: &PanicSlot,
) -> Option<&'a mut R::Error> {
    if panic.is_panicking() {
        return None;
    }
    ret.as_mut().and_then(Fallible::error_mut)
}

impl PanicSlot {
    /// `recover()` in deferred code. `_user_recover` is the function the user
    /// named, taken so that their `use fndefer::recover;` stays used.
    #[inline]
    pub fn recover(&mut self, _user_recover: fn() -> Option<Panic>) -> Option<Panic> {
        match self.0.take() {
            // Published for the handler call this code runs in: ours, since
            // every publish is undone before the call that made it returns.
            Some(payload) if payload.is::<Published>() => published::take(),
            other => other,
        }
        .map(Panic::from_payload)
    }

    /// Whether this function is panicking (its panic may be published).
    #[inline(always)]
    fn is_panicking(&self) -> bool {
        self.0.is_some()
    }

    /// Makes `payload` the panic in flight, dropping the previous one.
    /// Inlined in optimized builds, with the cold work (dropping a payload)
    /// out of line, so the slot is never passed by address: the frame can
    /// then live in registers on the path where nothing panics. Debug builds
    /// keep this and the other epilogue helpers out of line, so their
    /// temporaries are not in every deferring function's stack frame.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn replace(&mut self, payload: Payload) {
        if let Some(previous) = self.0.take() {
            drop_payload(previous);
        }
        self.0 = Some(payload);
    }
}

#[cold]
#[inline(never)]
fn missing_result(function: &'static str) -> ! {
    panic!(
        "`{function}` recovered from a panic but has no result to return; \
         set one in the deferred closure with `defer!(|ret| {{ .. *ret = Some(value); }})`"
    )
}

#[cold]
#[inline(never)]
fn drop_payload(payload: Payload) {
    // A payload whose destructor panics must not take the frame down with it.
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        std::mem::forget(again);
    }
}

/// Return types whose failure `errdefer!` can see: `Result` and `Option`,
/// including aliases such as `io::Result<T>`.
#[diagnostic::on_unimplemented(
    message = "`errdefer!` needs a function returning `Result` or `Option`, not `{Self}`",
    label = "this function's result has no failure case",
    note = "use `defer!` for cleanup that runs on every exit"
)]
pub trait Fallible {
    /// What `errdefer!(|e| ..)` receives.
    type Error;
    /// Whether this value is the failure case.
    fn is_failure(&self) -> bool;
    /// The error, when this value is the failure case.
    fn error_mut(&mut self) -> Option<&mut Self::Error>;
}

impl<T, E> Fallible for Result<T, E> {
    type Error = E;
    #[inline]
    fn is_failure(&self) -> bool {
        self.is_err()
    }
    #[inline]
    fn error_mut(&mut self) -> Option<&mut E> {
        self.as_mut().err()
    }
}

impl<T> Fallible for Option<T> {
    /// A `None` carries no value: `errdefer!(|e| ..)` gets `&mut ()`.
    type Error = ();
    #[inline]
    fn is_failure(&self) -> bool {
        self.is_none()
    }
    #[inline]
    fn error_mut(&mut self) -> Option<&mut ()> {
        match self {
            // A zero-sized box does not allocate.
            None => Some(Box::leak(Box::new(()))),
            Some(_) => None,
        }
    }
}

/// Marks an adopted `let mut` binding as used mutably, so moving it into a
/// deferred call's slot does not trip `unused_mut` on the user's `mut`.
#[inline(always)]
pub fn touch_mut<T: ?Sized>(_: &mut T) {}

/// `pass_function(passed_function)`: a function passed by path, which the
/// frame writes where the body passed one (`try_with(Rng::fork)`), so that
/// clippy's `must_use_candidate` still sees a use of a static outside the
/// body closure, as it did in the function before `#[with_defer]`.
#[inline(always)]
pub fn pass_function(_: fn()) {}

/// See [`pass_function`].
#[inline(always)]
pub fn passed_function() {}

/// An adopted local used as a moved value (`return n`, `let m = n`): the
/// body holds only a reference to it, so the value is copied out, and a type
/// that is not `Copy` gets an error saying which `defer!` holds it. `LINE`:
/// where the local is lent back to the body from.
#[inline(always)]
pub fn adopted_value<T: AdoptedValue<LINE>, const LINE: usize>(value: &T) -> T {
    *value
}

#[diagnostic::on_unimplemented(
    message = "cannot move `{Self}` out of a local that a `defer!` adopted: the body has it by reference from line {LINE} on",
    label = "moves the value out of the `defer!`'s frame",
    note = "the deferred call still uses the local when the function returns; use a clone (`.clone()`), or take the value out with `std::mem::take(&mut ..)` if the deferred code may see an empty one"
)]
pub trait AdoptedValue<const LINE: usize>: Copy {}

// Errors name `AdoptedValue` (with the message above), not the `Copy` bound
// of some field of the type.
#[diagnostic::do_not_recommend]
impl<T: Copy, const LINE: usize> AdoptedValue<LINE> for T {}

/// An adopted `let mut` local passed to a call (`f(n)`, `write_to(out)`,
/// `consume(file)`): lent back as `&mut T`, it is read by whichever
/// `adopted_arg` method resolution finds first (`Via*` in
/// [`adopted_arg`]): a `Copy` value (or a type not known yet) is copied, a
/// `&mut` the local holds is reborrowed for the call as it was before the
/// `defer!`, and any other type reaches the method that carries
/// [`AdoptedValue`]'s error.
pub struct AdoptedArg<'a, T: ?Sized, const LINE: usize> {
    place: Option<&'a mut T>,
    moved_out: adopted_arg::MovedOut<T, LINE>,
}

impl<'a, T: ?Sized, const LINE: usize> AdoptedArg<'a, T, LINE> {
    #[inline(always)]
    pub fn new(place: &'a mut T) -> Self {
        AdoptedArg {
            place: Some(place),
            moved_out: adopted_arg::MovedOut(PhantomData),
        }
    }
}

/// The last place method resolution looks (one auto-deref step on).
impl<T: ?Sized, const LINE: usize> core::ops::Deref for AdoptedArg<'_, T, LINE> {
    type Target = adopted_arg::MovedOut<T, LINE>;

    #[inline(always)]
    fn deref(&self) -> &Self::Target {
        &self.moved_out
    }
}

/// The three readers of [`AdoptedArg`], in the order method resolution
/// tries them: by value (`ViaCopy`), by `&mut` (`ViaReborrow`), then
/// through `Deref` (`ViaMove`).
pub mod adopted_arg {
    use super::{AdoptedArg, AdoptedValue, PhantomData};

    /// What an [`AdoptedArg`] derefs to: only [`ViaMove`] is found there.
    pub struct MovedOut<T: ?Sized, const LINE: usize>(pub(super) PhantomData<fn() -> *const T>);

    pub trait ViaCopy<T> {
        fn adopted_arg(self) -> T;
    }

    /// Also the pick while `T` is still an inference variable (its `Copy`
    /// bound may hold), so `let mut n = make(); .. f(n)` infers as before.
    impl<T: Copy, const LINE: usize> ViaCopy<T> for AdoptedArg<'_, T, LINE> {
        #[inline(always)]
        fn adopted_arg(self) -> T {
            match self.place {
                Some(place) => *place,
                None => unreachable!("an AdoptedArg is read once"),
            }
        }
    }

    pub trait ViaReborrow<'a, X: ?Sized> {
        fn adopted_arg(&mut self) -> &'a mut X;
    }

    /// `&mut self` (a `&mut` is never `Copy`, so `ViaCopy` passed it by);
    /// the reference is taken out of the temporary, so the reborrow lives
    /// as long as the local's, not the temporary's.
    impl<'a, X: ?Sized, const LINE: usize> ViaReborrow<'a, X> for AdoptedArg<'a, &mut X, LINE> {
        #[inline(always)]
        fn adopted_arg(&mut self) -> &'a mut X {
            match self.place.take() {
                Some(place) => place,
                None => unreachable!("an AdoptedArg is read once"),
            }
        }
    }

    pub trait ViaMove<T, const LINE: usize> {
        fn adopted_arg(&self) -> T
        where
            T: AdoptedValue<LINE>;
    }

    /// Found only for a type that is neither `Copy` nor a `&mut`, whose
    /// move out of the slot is the error of its `AdoptedValue` bound: a
    /// program that calls it does not compile.
    impl<T, const LINE: usize> ViaMove<T, LINE> for MovedOut<T, LINE> {
        fn adopted_arg(&self) -> T
        where
            T: AdoptedValue<LINE>,
        {
            unreachable!("a type that is `AdoptedValue` is `Copy`, read by `ViaCopy`")
        }
    }
}

/// Types an `async fn`'s body so `?` and `return` inside it convert to the
/// function's result type.
#[inline(always)]
pub fn typed_body<R, F: Future<Output = R>>(_: &Marker<R>, body: F) -> F {
    body
}

/// Polls an `async fn`'s body with each poll under `catch_unwind`: a panic
/// while polling ends the body and hands the panic to the deferred calls.
#[inline]
pub fn poll_catching<F: Future>(
    mut body: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<Frame<F::Output>> {
    let mut polled = Poll::Pending;
    let panic = catch(|| polled = body.as_mut().poll(cx));
    match (panic, polled) {
        (None, Poll::Ready(value)) => Poll::Ready(Frame {
            ret: Some(value),
            panic: PanicSlot(None),
        }),
        (None, Poll::Pending) => Poll::Pending,
        (Some(payload), _) => Poll::Ready(Frame {
            ret: None,
            panic: PanicSlot(Some(payload)),
        }),
    }
}

/// Holds an `async fn`'s slots while its body runs. If the future is dropped
/// before the body finishes (cancellation), `Drop` runs the deferred calls
/// that need nothing but their slots; `disarm` hands the slots to the normal
/// epilogue instead.
///
/// The cancel code is armed *after* the body's future is created: the body
/// is type-checked first, so the slots' types are known in the cancel code.
/// The body borrows only `slots`, so arming `on_cancel` meanwhile is fine.
pub struct CancelGuard<S, F: FnOnce(&mut S)> {
    pub slots: S,
    pub on_cancel: Canceller<S, F>,
}

/// The cancel code of a [`CancelGuard`], typed by the slots it receives.
pub struct Canceller<S, F>(Option<F>, PhantomData<fn(&mut S)>);

impl<S, F: FnOnce(&mut S)> CancelGuard<S, F> {
    #[inline(always)]
    pub fn new(slots: S) -> Self {
        CancelGuard {
            slots,
            on_cancel: Canceller(None, PhantomData),
        }
    }

    #[inline(always)]
    pub fn disarm(&mut self) -> &mut S {
        self.on_cancel.0 = None;
        &mut self.slots
    }
}

/// Sets the code a [`CancelGuard`] runs if the future is dropped.
#[inline(always)]
pub fn arm<S, F: FnOnce(&mut S)>(canceller: &mut Canceller<S, F>, on_cancel: F) {
    canceller.0 = Some(on_cancel);
}

impl<S, F: FnOnce(&mut S)> Drop for CancelGuard<S, F> {
    fn drop(&mut self) {
        if let Some(on_cancel) = self.on_cancel.0.take() {
            on_cancel(&mut self.slots);
        }
    }
}

/// The frame deferred calls see on cancellation: no result (`ret` is `None`,
/// as while panicking) and no panic to recover.
#[inline(always)]
pub fn cancelled<R>(_: &Marker<R>) -> Frame<R> {
    Frame {
        ret: None,
        panic: PanicSlot(None),
    }
}

impl<R> Frame<R> {
    /// Ends a cancellation: a panic from a deferred call continues, unless
    /// the future is being dropped by an unwinding panic already (a second
    /// panic there would abort), in which case it is dropped.
    pub fn finish_cancelled(self) {
        if let Some(payload) = self.panic.0 {
            if std::thread::panicking() {
                drop_payload(payload);
            } else {
                resume_unwind(payload);
            }
        }
    }
}

/// Go's zero values after a `recover()` that left no result: the result
/// type's `Default` where it has one, else a panic naming the function.
/// Chosen at compile time (autoref specialization): a concrete type gets
/// `Default::default()` if it implements `Default`; a generic `T` only if
/// its bounds say `T: Default`.
pub mod zero {
    use super::{Marker, missing_result};
    use std::marker::PhantomData;

    pub struct Zero<R>(PhantomData<fn() -> R>);

    #[inline(always)]
    pub fn of<R>(_: &Marker<R>) -> Zero<R> {
        Zero(PhantomData)
    }

    pub trait ViaDefault<R> {
        fn zero_value(&self, function: &'static str) -> R;
    }

    impl<R: Default> ViaDefault<R> for Zero<R> {
        #[inline]
        fn zero_value(&self, _: &'static str) -> R {
            R::default()
        }
    }

    pub trait ViaPanic<R> {
        fn zero_value(&self, function: &'static str) -> R;
    }

    impl<R> ViaPanic<R> for &Zero<R> {
        #[inline]
        fn zero_value(&self, function: &'static str) -> R {
            missing_result(function)
        }
    }
}
/// The panic of the function whose deferred call is running, published for
/// [`recover`](crate::recover) called outside the deferred code itself (a
/// handler). One per thread; a nested function's deferred call publishes
/// its own and restores the outer one after.
mod published {
    use super::Payload;
    use std::cell::{Cell, RefCell};

    thread_local! {
        static PUBLISHED: Cell<Option<Payload>> = const { Cell::new(None) };
        /// What was published around each deferred call running while its
        /// function panics, innermost last: [`begin_call`] and [`end_call`]
        /// pair up on one thread (each call is caught in between), so a
        /// stack restores them. Kept here, not returned to the caller: two
        /// words fewer to hold across the deferred call are two
        /// callee-saved registers fewer in every annotated function, and
        /// the unwinder interprets their CFI in every frame it passes.
        static OUTER: RefCell<Vec<Option<Payload>>> = const { RefCell::new(Vec::new()) };
    }

    pub fn replace(value: Option<Payload>) -> Option<Payload> {
        PUBLISHED.with(|published| published.replace(value))
    }

    /// Before a deferred call while its function panics: a handler's panic
    /// (`own`) is published and [`super::Published`] takes its place in the
    /// slot; any other call hides an outer published panic. Returns the
    /// slot's value during the call; what was published before is kept
    /// for [`end_call`].
    ///
    /// `extern "C"`: such a function cannot unwind (a panic in it would
    /// abort; nothing in it panics but an allocation failure, which aborts
    /// anyway), so the call needs no landing pad, and the caller holds
    /// nothing across it for one: one callee-saved register fewer. The
    /// types are Rust's on both sides, passed in registers as they would be.
    #[cold]
    #[inline(never)]
    #[allow(improper_ctypes_definitions)]
    pub extern "C" fn begin_call(handler: bool, own: Option<Payload>) -> Option<Payload> {
        let (slot, outer) = if handler {
            let marker: Payload = Box::new(super::Published);
            (Some(marker), replace(own))
        } else {
            (own, replace(None))
        };
        OUTER.with(|stack| stack.borrow_mut().push(outer));
        slot
    }

    /// After it: restores the outer published panic; returns the slot's
    /// value (for a handler, its panic unless the handler recovered it).
    /// `extern "C"` as [`begin_call`] is.
    #[cold]
    #[inline(never)]
    #[allow(improper_ctypes_definitions)]
    pub extern "C" fn end_call(handler: bool, slot: Option<Payload>) -> Option<Payload> {
        let outer = OUTER.with(|stack| stack.borrow_mut().pop()).flatten();
        let ours = replace(outer);
        if handler { ours } else { slot }
    }

    /// The published panic.
    pub fn take() -> Option<Payload> {
        PUBLISHED.with(Cell::take)
    }
}

/// [`crate::recover`]: the panic published by the deferred call running on
/// this thread, if any.
pub(crate) fn recover_published() -> Option<Panic> {
    published::take().map(Panic::from_payload)
}

/// A named result's zero value (Go's): its type's `Default`.
#[inline(always)]
#[must_use]
pub fn named_zero<T: NamedZero>() -> T {
    T::zero()
}

/// The types a named result can have: those with a zero value.
#[diagnostic::on_unimplemented(
    message = "a named result of type `{Self}` needs a zero value to start from",
    label = "`{Self}` does not implement `Default`",
    note = "implement or derive `Default` for it, or return this result without `named(..)` and set it with `defer!(|ret| ..)`"
)]
pub trait NamedZero {
    /// The zero value.
    fn zero() -> Self;
}

impl<T: Default> NamedZero for T {
    #[inline(always)]
    fn zero() -> Self {
        T::default()
    }
}

/// Never called. A by-value `self` that deferred code does not use is
/// passed here in a branch the body closure never takes (`if false`), so
/// that the closure captures `self` by value, as it does the parameters it
/// rebinds (a closure cannot rebind `self`). The branch diverges, so the
/// body's own uses of `self` after it are not uses after a move.
#[inline(always)]
pub fn moved_into_body<T>(_: T) -> ! {
    unreachable!("a branch the body never takes")
}

/// Runs a body that has named results but no deferred call, so that its
/// bare `return;` ends the body and not the function.
#[inline(always)]
pub fn run_body(body: impl FnOnce()) {
    body();
}

/// The result after a `recover()` that left none (see [`zero`]): a macro,
/// so the choice is made where the result type is known, in few tokens.
#[doc(hidden)]
#[macro_export]
macro_rules! __fndefer_zero_or_panic {
    ($marker:expr, $function:expr) => {{
        use $crate::__private::zero::{ViaDefault as _, ViaPanic as _};
        (&$crate::__private::zero::of($marker)).zero_value($function)
    }};
}

pub use crate::__fndefer_zero_or_panic as zero_or_panic;
