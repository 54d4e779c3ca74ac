// Case exec_interface_equal: port of interfaceEqual and (*Cmd).stderr from Go 1.19
// src/os/exec/exec.go (golang/go, go1.19.8; /usr/share/go-1.19/src/os/exec/exec.go).
// interfaceEqual recovers without setting its result, so a comparison that panics
// (two interfaces holding an uncomparable type) returns false, bool's zero value.
// Adapted to run standalone: Cmd keeps only Stdout and Stderr, and stderr reports which
// descriptor it would use instead of opening one; main prints what it returns.
// Go's `any`/`io.Writer` holding a *bytes.Buffer or a sliceWriter is `Option<Writer>`, whose
// PartialEq does what Go's interface == does, panicking for the uncomparable sliceWriter.
use fndefer::{defer, recover, with_defer};
use std::cell::RefCell;
use std::rc::Rc;

#[allow(dead_code)] // the buffer's bytes are not read
#[derive(Clone)]
enum Writer {
    Buffer(Rc<RefCell<Vec<u8>>>), // *bytes.Buffer
    Slice(Vec<u8>),               // sliceWriter
}

impl PartialEq for Writer {
    fn eq(&self, other: &Writer) -> bool {
        match (self, other) {
            (Writer::Buffer(a), Writer::Buffer(b)) => Rc::ptr_eq(a, b),
            (Writer::Slice(_), Writer::Slice(_)) => {
                panic!("runtime error: comparing uncomparable type main.sliceWriter")
            }
            _ => false,
        }
    }
}

struct Cmd {
    stdout: Option<Writer>,
    stderr: Option<Writer>,
}

// interfaceEqual protects against panics from doing equality tests on
// two interfaces with non-comparable underlying types.
#[with_defer]
fn interface_equal(a: &Option<Writer>, b: &Option<Writer>) -> bool {
    defer!(|| {
        let _ = recover();
    });
    a == b
}

impl Cmd {
    fn stderr(&self) -> String {
        if self.stderr.is_some() && interface_equal(&self.stderr, &self.stdout) {
            return "stderr shares stdout's descriptor".to_string();
        }
        "stderr gets its own descriptor".to_string()
    }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let buf = Writer::Buffer(Rc::new(RefCell::new(Vec::new())));
    let other = Writer::Buffer(Rc::new(RefCell::new(Vec::new())));
    let sw = Writer::Slice(b"log".to_vec());

    println!("same buffer: {}", interface_equal(&Some(buf.clone()), &Some(buf.clone())));
    println!("two buffers: {}", interface_equal(&Some(buf.clone()), &Some(other.clone())));
    println!("uncomparable: {}", interface_equal(&Some(sw.clone()), &Some(sw.clone())));
    println!(
        "buffer and slice writer: {}",
        interface_equal(&Some(buf.clone()), &Some(sw.clone()))
    );

    let cmds = vec![
        Cmd { stdout: Some(buf.clone()), stderr: Some(buf.clone()) },
        Cmd { stdout: Some(buf.clone()), stderr: Some(other.clone()) },
        Cmd { stdout: Some(sw.clone()), stderr: Some(sw.clone()) },
        Cmd { stdout: Some(buf.clone()), stderr: None },
    ];
    for (i, c) in cmds.iter().enumerate() {
        println!("cmd {}: {}", i, c.stderr());
    }
}
