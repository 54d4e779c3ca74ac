// Case template_safe_call: port of safeCall from Go 1.19 src/text/template/funcs.go
// (golang/go, go1.19.8; /usr/share/go-1.19/src/text/template/funcs.go). safeCall has the
// named results (val reflect.Value, err error): `return ret[0], ..` sets both and then the
// deferred literal runs; when the call panics, the literal's recover() sets err alone and val
// is returned as it is, the zero reflect.Value.
// Adapted to run standalone: main calls it on template-style functions (one result, or a
// result and an error) as text/template's evalCall and call do, and prints val and err.
// reflect.Value is a small enum whose Default is the zero (invalid) Value; reflect.ValueOf of
// a Go func is a Value::Func wrapping the function with its arguments unpacked.
use fndefer::{defer, recover, with_defer};
use std::fmt;
use std::panic::panic_any;

#[derive(Clone, Debug)]
struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn go_err(err: &Option<Error>) -> String {
    match err {
        Some(e) => e.to_string(),
        None => "<nil>".to_string(),
    }
}

// reflect.Value, for the kinds this program calls with and gets back.
#[derive(Clone, Default)]
enum Value {
    #[default]
    Invalid,
    Str(String),
    Int(i64),
    Error(Option<Error>),
    Func(fn(&[Value]) -> Vec<Value>),
}

impl Value {
    fn call(&self, args: &[Value]) -> Vec<Value> {
        match self {
            Value::Func(f) => f(args),
            _ => panic!("reflect: call of non-function"),
        }
    }

    fn is_nil(&self) -> bool {
        matches!(self, Value::Error(None))
    }

    fn is_valid(&self) -> bool {
        !matches!(self, Value::Invalid)
    }

    // v.Interface().(error)
    fn interface_error(&self) -> Option<Error> {
        match self {
            Value::Error(e) => e.clone(),
            _ => panic!("interface conversion: not an error"),
        }
    }

    fn string(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            _ => panic!("reflect: not a string"),
        }
    }

    fn int(&self) -> i64 {
        match self {
            Value::Int(n) => *n,
            _ => panic!("reflect: not an int"),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{}", s),
            Value::Int(n) => write!(f, "{}", n),
            _ => write!(f, "?"),
        }
    }
}

// safeCall runs fun.Call(args), and returns the resulting value and error, if
// any. If the call panics, the panic value is returned as an error.
#[with_defer(named(val, err))]
fn safe_call(fun: &Value, args: &[Value]) -> (Value, Option<Error>) {
    defer!(|| if let Some(r) = recover() {
        if let Some(e) = r.downcast_ref::<Error>() {
            err = Some(e.clone());
        } else {
            err = Some(Error(format!("{}", r)));
        }
    });
    let ret = fun.call(args);
    if ret.len() == 2 && !ret[1].is_nil() {
        return (ret[0].clone(), ret[1].interface_error());
    }
    return (ret[0].clone(), None);
}

fn err_negative() -> Error {
    Error("negative count".to_string())
}

fn repeat(s: &str, n: i64) -> (String, Option<Error>) {
    if n < 0 {
        return (String::new(), Some(err_negative()));
    }
    if n > 3 {
        panic_any(Error(format!("repeat {:?} {} times: too many", s, n)));
    }
    (s.repeat(n as usize), None)
}

fn upper(s: &str) -> String {
    if s.is_empty() {
        panic!("upper of an empty string");
    }
    s.to_uppercase()
}

// reflect.ValueOf(repeat) and reflect.ValueOf(upper)
fn repeat_value() -> Value {
    Value::Func(|args| {
        let (s, err) = repeat(&args[0].string(), args[1].int());
        vec![Value::Str(s), Value::Error(err)]
    })
}

fn upper_value() -> Value {
    Value::Func(|args| vec![Value::Str(upper(&args[0].string()))])
}

fn show(name: &str, fun: Value, args: &[Value]) {
    let argv: Vec<Value> = args.to_vec();
    let (val, err) = safe_call(&fun, &argv);
    let list = args.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(" ");
    if val.is_valid() {
        println!("{}[{}]: val={:?} err={}", name, list, val.string(), go_err(&err));
    } else {
        println!("{}[{}]: val=<invalid reflect.Value> err={}", name, list, go_err(&err));
    }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    show("repeat", repeat_value(), &[Value::Str("ab".into()), Value::Int(2)]);
    show("repeat", repeat_value(), &[Value::Str("ab".into()), Value::Int(-1)]);
    show("repeat", repeat_value(), &[Value::Str("ab".into()), Value::Int(5)]);
    show("upper", upper_value(), &[Value::Str("go".into())]);
    show("upper", upper_value(), &[Value::Str("".into())]);
}
