use std::any::Any;
use std::fmt;

/// A panic stopped by `recover()`: the payload of the `panic!`, with Go-like
/// formatting.
///
/// `Display` prints the message for `&str` and `String` payloads (what
/// `panic!("..")` produces) and `Box<dyn Any>` naming no type otherwise, since
/// the payload's type is erased.
pub struct Panic {
    payload: Box<dyn Any + Send + 'static>,
}

impl Panic {
    /// Wraps a payload as returned by `std::panic::catch_unwind`.
    pub fn from_payload(payload: Box<dyn Any + Send + 'static>) -> Self {
        Panic { payload }
    }

    /// The panic message, when the payload is a `&'static str` or a `String`.
    pub fn message(&self) -> Option<&str> {
        if let Some(message) = self.payload.downcast_ref::<&'static str>() {
            Some(message)
        } else {
            self.payload.downcast_ref::<String>().map(String::as_str)
        }
    }

    /// The payload, when it has type `T` (for `std::panic::panic_any(value)`).
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.payload.downcast_ref::<T>()
    }

    /// The payload, mutably, when it has type `T`: Go's `e.(*SyntaxError)`,
    /// through which a handler changes the value before it re-panics with
    /// [`Panic::resume`].
    pub fn downcast_mut<T: Any>(&mut self) -> Option<&mut T> {
        self.payload.downcast_mut::<T>()
    }

    /// The payload by value when it has type `T` (Go's `err = e.(*MyError)`
    /// keeps the value), else the panic back, to resume it.
    pub fn downcast<T: Any>(self) -> Result<Box<T>, Panic> {
        self.payload.downcast::<T>().map_err(Panic::from_payload)
    }

    /// Gives the payload back, e.g. to hand it to `std::panic::resume_unwind`.
    pub fn into_payload(self) -> Box<dyn Any + Send + 'static> {
        self.payload
    }

    /// Continues the panic with the same payload, without running the panic
    /// hook again (Go's `panic(r)` after a `recover()`).
    pub fn resume(self) -> ! {
        std::panic::resume_unwind(self.payload)
    }
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(message) => f.write_str(message),
            None => f.write_str("Box<dyn Any>"),
        }
    }
}

impl fmt::Debug for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(message) => f.debug_tuple("Panic").field(&message).finish(),
            None => f
                .debug_tuple("Panic")
                .field(&format_args!("Box<dyn Any>"))
                .finish(),
        }
    }
}
