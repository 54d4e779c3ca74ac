//! A file copier, ported from the Go idiom
//!
//! ```go
//! func CopyFile(dst, src string) (n int64, err error) {
//!     defer func() {
//!         if err != nil {
//!             err = fmt.Errorf("copy %s to %s: %w", src, dst, err)
//!         }
//!     }()
//!     r, err := os.Open(src)
//!     if err != nil {
//!         return 0, err
//!     }
//!     defer r.Close()
//!     w, err := os.Create(dst)
//!     if err != nil {
//!         return 0, err
//!     }
//!     defer func() {
//!         if cerr := w.Close(); cerr != nil && err == nil {
//!             err = cerr // a failed Close must not be lost
//!         }
//!         if err != nil {
//!             os.Remove(dst) // no half-written copies
//!         }
//!     }()
//!     return io.Copy(w, r)
//! }
//! ```
//!
//! In Rust the files close themselves when dropped; what `defer!` adds is the
//! rest of the Go function: wrapping every error through the named result
//! (`|ret|`), turning a failed final flush into the function's error, and
//! removing a half-written destination on every failure path (`errdefer!`).
//!
//! Run with `cargo run --example file_copy`. It works in a fresh directory
//! under `std::env::temp_dir()` and removes it before exiting.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use fndefer::{defer, errdefer, with_defer};

/// A reader that fails after `limit` bytes, to simulate a disk error mid-copy.
struct Faulty<R> {
    inner: R,
    left: Option<usize>,
}

impl<R: Read> Read for Faulty<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.left {
            Some(0) => Err(io::Error::other("simulated read fault")),
            Some(left) => {
                let len = buf.len().min(left);
                let n = self.inner.read(&mut buf[..len])?;
                self.left = Some(left - n);
                Ok(n)
            }
            None => self.inner.read(buf),
        }
    }
}

#[with_defer]
fn copy_file(src: &Path, dst: &Path, fault_after: Option<usize>) -> io::Result<u64> {
    // Runs last: wrap whatever error is being returned, like Go's
    // `err = fmt.Errorf("copy %s to %s: %w", src, dst, err)`.
    defer!(|ret| if let Some(Err(e)) = ret {
        *e = io::Error::new(
            e.kind(),
            format!("copy {} to {}: {e}", name(src), name(dst)),
        );
    });

    let r = File::open(src)?;
    let mut r = Faulty {
        inner: r,
        left: fault_after,
    };
    let mut w = io::BufWriter::new(File::create(dst)?);
    println!("  created {}", name(dst));
    // Only on failure (an `Err` return or a panic): don't leave a partial copy.
    errdefer!(|| {
        println!("  errdefer: removing partial {}", name(dst));
        let _ = fs::remove_file(dst);
    });
    // `defer func() { if cerr := w.Close(); cerr != nil && err == nil { err = cerr } }()`:
    // `w` is adopted, so the body below keeps using it; the flush happens at exit
    // and its error becomes the function's error if there was none yet.
    defer!(|ret| {
        let flushed = w.flush().and_then(|()| w.get_ref().sync_all());
        println!("  deferred: flushed {}: {}", name(dst), flushed.is_ok());
        if let (Some(Ok(_)), Err(e)) = (&ret, flushed) {
            *ret = Some(Err(e));
        }
    });

    let n = io::copy(&mut r, &mut w)?;
    println!("  copied {n} bytes");
    Ok(n)
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[with_defer]
fn main() -> io::Result<()> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("fndefer-file-copy-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    println!("working in a fresh temp dir");
    // Go: `defer os.RemoveAll(dir)`.
    defer!(|| {
        let removed = fs::remove_dir_all(&dir);
        println!("deferred: removed the temp dir: {}", removed.is_ok());
    });

    let src = dir.join("src.txt");
    fs::write(&src, "hello, defer\n".repeat(1000))?;

    println!("1. a good copy");
    let n = copy_file(&src, &dir.join("good.txt"), None)?;
    println!(
        "   -> Ok({n}); good.txt exists: {}",
        dir.join("good.txt").exists()
    );

    println!("2. the source is missing");
    match copy_file(&dir.join("missing.txt"), &dir.join("never.txt"), None) {
        Ok(n) => println!("   -> Ok({n})?"),
        Err(e) => println!("   -> Err({e})"),
    }

    println!("3. a read fault after 4096 bytes");
    match copy_file(&src, &dir.join("partial.txt"), Some(4096)) {
        Ok(n) => println!("   -> Ok({n})?"),
        Err(e) => println!("   -> Err({e})"),
    }
    println!(
        "   partial.txt exists: {}",
        dir.join("partial.txt").exists()
    );
    Ok(())
}
