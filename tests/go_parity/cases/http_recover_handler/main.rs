// Case http_recover_handler: net/http-style middleware (a recoverer that turns a panic into a
// 500 response, a logger whose defer reports the final status) built from function literals
// with their own defers, and an RPC-style handler that recovers into its named results.
// Held-out style twin written from the user docs only.
use fndefer::{defer, defer_scope, recover, with_defer};
use std::collections::BTreeMap;
use std::rc::Rc;

struct Request {
    method: String,
    path: String,
}

#[derive(Default)]
struct ResponseWriter {
    status: i32,
    body: String,
}

impl ResponseWriter {
    fn write_header(&mut self, code: i32) {
        if self.status != 0 {
            println!(
                "  superfluous WriteHeader {} (already {} )",
                code, self.status
            );
            return;
        }
        self.status = code;
    }

    fn write(&mut self, s: &str) {
        if self.status == 0 {
            self.status = 200;
        }
        self.body.push_str(s);
    }
}

type HandlerFunc = Rc<dyn Fn(&mut ResponseWriter, &Request)>;

fn recoverer(next: HandlerFunc) -> HandlerFunc {
    Rc::new(defer_scope!(move |w: &mut ResponseWriter, r: &Request| {
        defer!(|| if let Some(p) = recover() {
            println!("  panic serving {} {}: {}", r.method, r.path, p);
            w.write_header(500);
            w.write("internal error\n");
        });
        next(w, r);
    }))
}

fn logging(next: HandlerFunc) -> HandlerFunc {
    Rc::new(defer_scope!(move |w: &mut ResponseWriter, r: &Request| {
        println!("  start {} {}", r.method, r.path);
        defer!(|| {
            println!("  done {} {} status {}", r.method, r.path, w.status);
        });
        next(w, r);
    }))
}

fn users(id: &str) -> Option<&'static str> {
    match id {
        "1" => Some("ann"),
        "2" => Some("bob"),
        _ => None,
    }
}

fn hello(w: &mut ResponseWriter, _r: &Request) {
    w.write("hello\n");
}

fn user(w: &mut ResponseWriter, r: &Request) {
    let id = r.path.strip_prefix("/user/").unwrap_or(&r.path);
    let Some(name) = users(id) else {
        panic!("no user {:?}", id);
    };
    w.write(&format!("user {}\n", name));
}

fn stream(w: &mut ResponseWriter, _r: &Request) {
    for i in 1..=3 {
        if i == 3 {
            panic!("stream broken at chunk {}", i);
        }
        w.write(&format!("chunk {}\n", i));
    }
}

struct Mux {
    routes: BTreeMap<&'static str, HandlerFunc>,
}

impl Mux {
    fn serve_http(&self, w: &mut ResponseWriter, r: &Request) {
        for (prefix, h) in self.routes.iter().rev() {
            if r.path.starts_with(prefix) {
                h(w, r);
                return;
            }
        }
        w.write_header(404);
        w.write("not found\n");
    }
}

// call is an RPC-style entry point: a panic becomes an error result.
#[with_defer]
fn call(method: &str, arg: i32) -> (i32, Option<String>) {
    defer!(|ret| if let Some(p) = recover() {
        let err = Some(format!("rpc {}({}): {}", method, arg, p));
        *ret = Some((-1, err));
    });
    match method {
        "square" => return (arg * arg, None),
        "half" => {
            if arg % 2 != 0 {
                panic!("odd argument");
            }
            return (arg / 2, None);
        }
        _ => {}
    }
    (0, Some(format!("unknown method {}", method)))
}

fn req(method: &str, path: &str) -> Request {
    Request {
        method: method.to_string(),
        path: path.to_string(),
    }
}

pub fn main() {
    let mut routes: BTreeMap<&'static str, HandlerFunc> = BTreeMap::new();
    routes.insert("/", Rc::new(hello));
    routes.insert("/user/", Rc::new(user));
    routes.insert("/stream", Rc::new(stream));
    let mux = Rc::new(Mux { routes });
    let serve: HandlerFunc =
        Rc::new(move |w: &mut ResponseWriter, r: &Request| mux.serve_http(w, r));
    let handler = logging(recoverer(serve));
    let reqs = [
        req("GET", "/"),
        req("GET", "/user/2"),
        req("GET", "/user/9"),
        req("POST", "/stream"),
    ];
    for r in &reqs {
        let mut w = ResponseWriter::default();
        handler(&mut w, r);
        println!("{} {} -> {} {:?}", r.method, r.path, w.status, w.body);
    }

    // The logger inside the recoverer sees the panic before it is recovered.
    let inner = recoverer(logging(Rc::new(user)));
    let mut w = ResponseWriter::default();
    inner(&mut w, &req("GET", "/user/x"));
    println!("inner -> {} {:?}", w.status, w.body);

    for (m, a) in [("square", 7), ("half", 10), ("half", 3), ("cube", 2)] {
        let (res, err) = call(m, a);
        println!(
            "call {} {} = {} {}",
            m,
            a,
            res,
            err.unwrap_or_else(|| "<nil>".to_string())
        );
    }
}
