// Case recover4_partial: port of /usr/share/go-1.19/test/recover4.go: when a copy loop
// faults, the deferred recover sees the most recent value of n and memcopy returns it.
// Go's test faults on an mprotect'ed page; here the fault is an index out of range
// (dst shorter than src), which both languages turn into a recoverable panic.
use fndefer::{defer, recover, with_defer};

#[with_defer]
fn memcopy(dst: &mut [u8], src: &[u8]) -> (usize, Option<String>) {
    let mut n = 0;
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some((n, Some("memcopy faulted".to_string())));
        }
    });

    for i in 0..src.len() {
        dst[i] = src[i];
        n += 1;
    }
    (n, None)
}

fn go_err(e: &Option<String>) -> &str {
    e.as_deref().unwrap_or("<nil>")
}

pub fn main() {
    let mut data = vec![0u8; 64];
    const OFFSET: usize = 5;
    let mut src = vec![0u8; data.len()];
    for i in 0..src.len() {
        src[i] = i as u8;
    }
    let (n, err) = memcopy(&mut data[OFFSET..], &src);
    if err.is_none() {
        println!("no error from memcopy across the end");
    }
    let expect = data.len() - OFFSET;
    if n != expect {
        println!("memcopy returned {}, want {}", n, expect);
    }
    println!(
        "n = {} err = {} last = {}",
        n,
        go_err(&err),
        data[data.len() - 1]
    );
    let (n, err) = memcopy(&mut data, &src[..10]);
    println!("n = {} err = {}", n, go_err(&err));
}
