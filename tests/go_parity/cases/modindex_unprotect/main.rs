// Case modindex_unprotect: port of protect, unprotect, fromBytes, (*Module).pkgDir and
// (*Module).Walk from Go 1.19 src/cmd/go/internal/modindex/read.go (golang/go, go1.19.8;
// /usr/share/go-1.19/src/cmd/go/internal/modindex/read.go), with decoder.intAt, stringAt and
// stringTableAt from the same file. `defer unprotect(protect(), &err)` calls protect() at the
// defer and unprotect at exit; unprotect is a handler that calls recover() itself and sets
// the named result err of fromBytes (m, err) in place, or, given nil (Walk), panics again.
// Adapted to run standalone: `enabled` is a constant; base.Fatalf is not reached (main sets
// isTest, as the package's tests do); main builds index data with a small encoder, prints
// what fromBytes returns and what Walk visits, and reads debug.SetPanicOnFault after each
// call to show that unprotect restored the setting protect saved.
// debug.SetPanicOnFault is a thread-local flag (Rust has no memory faults to turn into
// panics, so unprotect's addrer check is left out); `*error` that may be nil is
// Option<&mut Option<Error>>; panic(errCorrupt) is panic_any(err_corrupt()).
use fndefer::{Panic, defer, recover, with_defer};
use std::cell::Cell;
use std::fmt;
use std::panic::panic_any;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Debug, PartialEq)]
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

// fmt's %v of a recovered value: an Error or a panic! message.
fn go_value(p: &Panic) -> String {
    match p.downcast_ref::<Error>() {
        Some(e) => e.to_string(),
        None => p.to_string(),
    }
}

thread_local!(static PANIC_ON_FAULT: Cell<bool> = const { Cell::new(false) });

// runtime/debug.SetPanicOnFault
fn set_panic_on_fault(enabled: bool) -> bool {
    PANIC_ON_FAULT.with(|p| p.replace(enabled))
}

const INDEX_VERSION: &str = "go index v0";

const ENABLED: bool = true;

struct Module {
    #[allow(dead_code)] // kept as in the Go original
    modroot: String,
    d: Decoder,
    n: i64, // number of packages
}

fn err_corrupt() -> Error {
    Error("corrupt index".to_string())
}

// protect marks the start of a large section of code that accesses the index.
// It should be used as:
//
//	defer unprotect(protect, &err)
//
// It should not be used for trivial accesses which would be
// dwarfed by the overhead of the defer.
fn protect() -> bool {
    set_panic_on_fault(true)
}

static IS_TEST: AtomicBool = AtomicBool::new(false);

// unprotect marks the end of a large section of code that accesses the index.
// It should be used as:
//
//	defer unprotect(protect, &err)
//
// end looks for panics due to errCorrupt or bad mmap accesses.
// When it finds them, it adds explanatory text, consumes the panic, and sets *errp instead.
// If errp is nil, end adds the explanatory text but then calls base.Fatalf.
fn unprotect(old: bool, errp: Option<&mut Option<Error>>) {
    set_panic_on_fault(old);

    if let Some(e) = recover() {
        if e.downcast_ref::<Error>() == Some(&err_corrupt()) {
            // This panic was almost certainly caused by SetPanicOnFault or our panic(errCorrupt).
            let err = Error(format!("error reading module index: {}", go_value(&e)));
            if let Some(errp) = errp {
                *errp = Some(err);
                return;
            }
            if IS_TEST.load(Ordering::Relaxed) {
                panic_any(err);
            }
            println!("base.Fatalf: {}", err);
        }
        // The panic was likely not caused by SetPanicOnFault.
        e.resume();
    }
}

// `defer unprotect(protect(), &err)`: `&mut err` is read at exit only as a whole argument
// (`Some(&mut err)` would borrow err from the defer on), so fromBytes defers this wrapper.
fn unprotect_err(old: bool, errp: &mut Option<Error>) {
    unprotect(old, Some(errp));
}

// fromBytes returns a *Module given the encoded representation.
#[with_defer(named(m, err))]
fn from_bytes(moddir: &str, data: &[u8]) -> (Option<Rc<Module>>, Option<Error>) {
    if !ENABLED {
        panic!("use of index");
    }

    defer!(unprotect_err(protect(), &mut err));

    if !data.starts_with(format!("{}\n", INDEX_VERSION).as_bytes()) {
        return (None, Some(err_corrupt()));
    }

    const HDR: i64 = INDEX_VERSION.len() as i64 + 1;
    let mut d = Decoder { data: data.to_vec(), str: vec![] };
    let str = d.int_at(HDR);
    if str < HDR + 8 || (d.data.len() as i64) < str {
        return (None, Some(err_corrupt()));
    }
    (d.data, d.str) = (data[..str as usize].to_vec(), d.data[str as usize..].to_vec());
    // Check that string table looks valid.
    // First string is empty string (length 0),
    // and we leave a marker byte 0xFF at the end
    // just to make sure that the file is not truncated.
    if d.str.is_empty() || d.str[0] != 0 || d.str[d.str.len() - 1] != 0xFF {
        return (None, Some(err_corrupt()));
    }

    let n = d.int_at(HDR + 4);
    if n < 0 || n > (d.data.len() as i64 - 8) / 8 {
        return (None, Some(err_corrupt()));
    }

    m = Some(Rc::new(Module {
        modroot: moddir.to_string(),
        d,
        n,
    }));
    return (m.clone(), None);
}

impl Module {
    // pkgDir returns the dir string of the i'th package in the index.
    fn pkg_dir(&self, i: i64) -> String {
        if i < 0 || i >= self.n {
            panic_any(err_corrupt());
        }
        self.d.string_at(12 + 8 + 8 * i)
    }

    // Walk calls f for each package in the index, passing the path to that package relative to the module root.
    #[with_defer]
    fn walk(&self, f: &mut dyn FnMut(&str)) {
        defer!(unprotect(protect(), None));
        for i in 0..self.n {
            f(&self.pkg_dir(i));
        }
    }
}

struct Decoder {
    data: Vec<u8>, // data after header
    str: Vec<u8>,  // string table
}

impl Decoder {
    // intAt returns the int at the given offset in d.data.
    fn int_at(&self, off: i64) -> i64 {
        if off < 0 || self.data.len() as i64 - off < 4 {
            panic_any(err_corrupt());
        }
        let off = off as usize;
        let i = u32::from_le_bytes(self.data[off..off + 4].try_into().unwrap());
        if (i as i32) >> 31 != 0 {
            panic_any(err_corrupt());
        }
        i as i64
    }

    // stringTableAt returns the string pointed at by the int at the given offset in d.data.
    fn string_at(&self, off: i64) -> String {
        self.string_table_at(self.int_at(off))
    }

    // stringTableAt returns the string at the given offset in the string table d.str.
    fn string_table_at(&self, off: i64) -> String {
        if off < 0 || off >= self.str.len() as i64 {
            panic_any(err_corrupt());
        }
        let s = &self.str[off as usize..];
        let (v, n) = uvarint(s);
        if n <= 0 || v > s[n as usize..].len() as u64 {
            panic_any(err_corrupt());
        }
        String::from_utf8_lossy(&s[n as usize..n as usize + v as usize]).into_owned()
    }
}

// encoding/binary.Uvarint
fn uvarint(buf: &[u8]) -> (u64, i64) {
    let mut x = 0u64;
    let mut s = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b < 0x80 {
            return (x | (b as u64) << s, i as i64 + 1);
        }
        x |= ((b & 0x7f) as u64) << s;
        s += 7;
    }
    (0, 0)
}

fn append_uvarint(buf: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        buf.push(x as u8 | 0x80);
        x >>= 7;
    }
    buf.push(x as u8);
}

// encode builds index data: header, string table offset, package count, one
// (dir string, package offset) pair per package, then the string table.
fn encode(dirs: &[&str], claim: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    out.extend_from_slice(format!("{}\n", INDEX_VERSION).as_bytes());
    let u32_ = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&(v as u32).to_le_bytes());
    let mut strtab = vec![0u8];
    let mut offs = vec![0; dirs.len()];
    for (i, d) in dirs.iter().enumerate() {
        offs[i] = strtab.len();
        append_uvarint(&mut strtab, d.len() as u64);
        strtab.extend_from_slice(d.as_bytes());
    }
    strtab.push(0xFF);
    let table = out.len() + 8 + 8 * dirs.len();
    u32_(&mut out, table);
    u32_(&mut out, claim);
    for off in &offs {
        u32_(&mut out, *off);
        u32_(&mut out, 0);
    }
    out.extend_from_slice(&strtab);
    out
}

fn fault_mode() -> bool {
    let old = set_panic_on_fault(false);
    set_panic_on_fault(old);
    old
}

fn load(name: &str, data: &[u8]) -> Option<Rc<Module>> {
    let (m, err) = from_bytes("/mod", data);
    println!(
        "{}: module={} err={} panicOnFault={}",
        name,
        m.is_some(),
        go_err(&err),
        fault_mode()
    );
    m
}

#[with_defer]
fn walk(name: &str, m: &Module, f: &mut dyn FnMut(&str)) {
    defer!(|| {
        if let Some(r) = recover() {
            println!("walk {}: panic: {}", name, go_value(&r));
        }
        println!("walk {}: panicOnFault={}", name, fault_mode());
    });
    m.walk(f);
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    IS_TEST.store(true, Ordering::Relaxed);
    let good = encode(&["cmd/a", "internal/b"], 2);
    let m = load("good", &good).unwrap();
    walk("good", &m, &mut |dir| println!("  package {}", dir));
    load("bad header", b"go index v1\n....");
    load("truncated", b"go index v0\n\x01\x00");
    load("negative", b"go index v0\n\xff\xff\xff\xff");
    load("no marker", &good[..good.len() - 1]);
    load("count too big", &encode(&["a"], 9));

    let mut bad = encode(&["cmd/a", "cmd/b"], 2);
    bad[12 + 8 + 8] = 0x7f; // second dir points past the string table
    walk("corrupt dir", &load("corrupt dir", &bad).unwrap(), &mut |dir| println!("  package {}", dir));
    walk("callback panics", &m, &mut |dir| panic!("callback failed on {}", dir));
    walk("nested load", &m, &mut |dir| {
        let (_, err) = from_bytes(dir, b"junk");
        println!("  nested fromBytes({}): err={} panicOnFault={}", dir, go_err(&err), fault_mode());
    });
}
