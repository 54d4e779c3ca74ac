// Case file_close: `f := Open(..); defer f.Close()` and keep using f; Close sees the final
// state (pointer receiver). Idiom (Effective Go, "Defer": Contents reading a file).
use fndefer::{defer, with_defer};

struct File {
    name: String,
    lines: Vec<String>,
    closed: bool,
}

fn open(name: &str) -> File {
    println!("open {}", name);
    File {
        name: name.to_string(),
        lines: Vec::new(),
        closed: false,
    }
}

impl File {
    fn write(&mut self, s: &str) {
        if self.closed {
            panic!("write on closed file");
        }
        self.lines.push(s.to_string());
    }

    fn close(&mut self) {
        self.closed = true;
        println!("close {} after {} writes", self.name, self.lines.len());
    }
}

#[with_defer]
fn write_all(name: &str, words: &[&str]) -> Result<(), String> {
    let mut f = open(name);
    defer!(f.close());
    for w in words {
        if w.is_empty() {
            return Err("empty word".to_string());
        }
        f.write(w);
    }
    println!("wrote {} lines to {}", f.lines.len(), f.name);
    Ok(())
}

#[with_defer]
fn copy_file(dst: &str, src: &str) {
    let mut input = open(src);
    defer!(input.close());
    let mut out = open(dst);
    defer!(out.close());
    input.write("x");
    out.write("x");
    out.write("y");
}

// fmt.Println("err:", err) of an error: its text, or <nil>.
fn go_err(r: Result<(), String>) -> String {
    match r {
        Ok(()) => "<nil>".to_string(),
        Err(e) => e,
    }
}

pub fn main() {
    println!("err: {}", go_err(write_all("a.txt", &["hello", "world"])));
    println!("err: {}", go_err(write_all("b.txt", &["one", "", "three"])));
    copy_file("dst", "src");
}
