// Case gob_catch_error: encoding/gob's error scheme (src/encoding/gob/error.go,
// Go 1.19): errors inside the encoder are panics of a package type, and the
// exported method turns them back into its named error result with a
// reusable handler, `defer catchError(&err)`, which re-panics anything else
// (a run-time panic passes through to the caller).
use fndefer::{defer, defer_scope, recover, with_defer};

// A GobError is used to distinguish errors (panics) generated in this package.
struct GobError {
    err: String,
}

fn errorf(message: String) -> ! {
    error_(format!("gob: {message}"))
}

fn error_(err: String) -> ! {
    std::panic::panic_any(GobError { err })
}

fn catch_error(err: &mut Option<String>) {
    if let Some(e) = recover() {
        let Some(ge) = e.downcast_ref::<GobError>() else {
            e.resume()
        };
        *err = Some(ge.err.clone());
    }
}

struct Encoder {
    sent: u32,
}

impl Encoder {
    fn encode_int(&mut self, v: i64) {
        if v < 0 {
            errorf(format!("cannot encode negative value {v}"));
        }
        if v > 1000 {
            panic!("value out of range");
        }
        self.sent += 1;
    }

    #[with_defer(named(err))]
    fn encode(&mut self, v: i64) -> Option<String> {
        defer!(catch_error(&mut err));
        self.encode_int(v);
        println!("encoded {v}");
        return None;
    }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut enc = Encoder { sent: 0 };
    for v in [1, -2, 3] {
        let err = enc.encode(v);
        println!("Encode {v} err: {}", err.as_deref().unwrap_or("<nil>"));
    }
    defer_scope!(|| {
        defer!(|| {
            println!("passed through: {}", recover().map_or("<nil>".to_string(), |p| p.to_string()))
        });
        enc.encode(5000);
    })();
    println!("sent {}", enc.sent);
}
