// Case types_handle_bailout: port of bailout, (*Checker).handleBailout, Files, checkFiles
// and the package-name loop of initFiles from Go 1.19 src/go/types/check.go, and the end of
// (*Checker).report from src/go/types/errors.go (golang/go, go1.19.8;
// /usr/share/go-1.19/src/go/types/). checkFiles returns its named result err through
// `defer check.handleBailout(&err)`, a method that calls recover() itself: a bailout panic
// (the first error, when Config.Error is nil) or a normal return sets err to firstErr; any
// other panic goes on. errBadCgo is returned before the defer.
// Adapted to run standalone: File is a package clause and a list of declared names;
// collectObjects only reports redeclarations (and panics on a name "bug", standing for a
// checker bug); the later phases of checkFiles are left out; errorf builds an Error from a
// position and a message; main prints what Files returns.
// Go's `error` result is Option<Error>; `defer check.handleBailout(&err)` is
// `defer!(|ret| self.handle_bailout(ret))`, with `ret: &mut Option<Option<Error>>`.
use fndefer::{defer, recover, with_defer};
use std::collections::HashMap;
use std::fmt;
use std::panic::panic_any;

// Go's `error`: a types.Error, or one made by errors.New.
#[derive(Clone, Debug)]
enum Error {
    Type { pos: i32, msg: String },
    New(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Type { pos, msg } => write!(f, "{}: {}", pos, msg),
            Error::New(text) => f.write_str(text),
        }
    }
}

fn go_err(err: &Option<Error>) -> String {
    match err {
        Some(e) => e.to_string(),
        None => "<nil>".to_string(),
    }
}

#[derive(Default)]
struct Config {
    fake_import_c: bool,
    go115_uses_cgo: bool,
    error: Option<fn(&Error)>,
}

struct File {
    package: i32,
    name: &'static str,
    decls: Vec<&'static str>,
}

#[derive(Default)]
struct Package {
    name: String,
}

struct Checker<'a> {
    conf: &'a Config,
    pkg: Package,
    files: Vec<&'a File>,
    objs: HashMap<&'static str, i32>,
    first_err: Option<Error>,
}

const TRACE: bool = false;

impl<'a> Checker<'a> {
    fn errorf(&mut self, pos: i32, msg: String) {
        let err = Error::Type { pos, msg };

        if self.first_err.is_none() {
            self.first_err = Some(err.clone());
        }

        let f = self.conf.error;
        if f.is_none() {
            panic_any(Bailout); // report only first error
        }
        f.unwrap()(&err);
    }

    fn init_files(&mut self, files: &[&'a File]) {
        // determine package name and collect valid files
        for &file in files {
            let name = file.name;
            if self.pkg.name.is_empty() || self.pkg.name == name {
                if self.pkg.name.is_empty() {
                    if name != "_" {
                        self.pkg.name = name.to_string();
                    } else {
                        self.errorf(file.package, "invalid package name _".to_string());
                    }
                }
                self.files.push(file);
            } else {
                let expected = self.pkg.name.clone();
                self.errorf(file.package, format!("package {}; expected {}", name, expected));
                // ignore this file
            }
        }
    }

    fn collect_objects(&mut self) {
        for file in self.files.clone() {
            for (i, &name) in file.decls.iter().enumerate() {
                if name == "bug" {
                    panic!("internal error: cannot collect {}", name);
                }
                if self.objs.contains_key(name) {
                    self.errorf(file.package + 1 + i as i32, format!("{} redeclared in this block", name));
                    continue;
                }
                self.objs.insert(name, file.package + 1 + i as i32);
            }
        }
    }
}

// A bailout panic is used for early termination.
struct Bailout;

fn err_bad_cgo() -> Error {
    Error::New("cannot use FakeImportC and go115UsesCgo together")
}

impl<'a> Checker<'a> {
    fn handle_bailout(&self, err: &mut Option<Option<Error>>) {
        match recover() {
            None => {
                // normal return or early exit
                *err = Some(self.first_err.clone());
            }
            Some(p) if p.downcast_ref::<Bailout>().is_some() => {
                *err = Some(self.first_err.clone());
            }
            Some(p) => {
                // re-panic
                p.resume();
            }
        }
    }

    // Files checks the provided files as part of the checker's package.
    fn files(&mut self, files: &[&'a File]) -> Option<Error> {
        self.check_files(files)
    }

    #[with_defer]
    fn check_files(&mut self, files: &[&'a File]) -> Option<Error> {
        if self.conf.fake_import_c && self.conf.go115_uses_cgo {
            return Some(err_bad_cgo());
        }

        defer!(|ret| self.handle_bailout(ret));

        let print = |msg: &str| {
            if TRACE {
                println!();
                println!("{}", msg);
            }
        };

        print("== initFiles ==");
        self.init_files(files);

        print("== collectObjects ==");
        self.collect_objects();

        None
    }
}

#[with_defer]
fn check(name: &str, conf: &Config, files: &[&File]) {
    defer!(|| if let Some(r) = recover() {
        println!("{}: panic: {}", name, r);
    });
    let mut c = Checker { conf, pkg: Package::default(), files: vec![], objs: HashMap::new(), first_err: None };
    let err = c.files(files);
    println!(
        "{}: err={} package={:?} files={} objects={}",
        name,
        go_err(&err),
        c.pkg.name,
        c.files.len(),
        c.objs.len()
    );
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let a = File { package: 10, name: "p", decls: vec!["x", "y"] };
    let b = File { package: 20, name: "p", decls: vec!["z", "x"] };
    let c = File { package: 30, name: "q", decls: vec!["w"] };
    let blank = File { package: 40, name: "_", decls: vec!["v"] };
    let bug = File { package: 50, name: "p", decls: vec!["u", "bug"] };
    let all: fn(&Error) = |err| println!("  reported: {}", err);

    check("ok", &Config::default(), &[&a]);
    check("redeclared", &Config::default(), &[&a, &b]);
    check("wrong package", &Config::default(), &[&a, &c, &b]);
    check("all errors", &Config { error: Some(all), ..Config::default() }, &[&a, &c, &b]);
    check("blank", &Config { error: Some(all), ..Config::default() }, &[&blank, &a]);
    check("bad cgo", &Config { fake_import_c: true, go115_uses_cgo: true, ..Config::default() }, &[&a]);
    check("checker bug", &Config::default(), &[&a, &bug]);
    check("bug after error", &Config { error: Some(all), ..Config::default() }, &[&a, &b, &bug]);
}
