// Case nonssa_args: runtime/defer_test.go TestNonSSAableArgs: large array and struct
// arguments of deferred calls (function results, composite literals with side effects,
// struct fields) are evaluated exactly once, at the defer statement.
use fndefer::{defer, with_defer};
use std::sync::Mutex;

type NonSsaable = [u8; 128];

#[allow(dead_code)]
#[derive(Clone, Copy, Default)]
struct BigStruct {
    x: i64,
    y: i64,
    z: i64,
    w: i64,
    p: i64,
    q: i64,
}

#[derive(Clone, Copy, Default)]
struct ContainsBigStruct {
    element: BigStruct,
}

#[derive(Default)]
struct Globals {
    globint1: i32,
    globint2: i32,
    globint3: i32,
    save1: u8,
    save2: i64,
    save3: i64,
    save4: i64,
}

static G: Mutex<Globals> = Mutex::new(Globals {
    globint1: 0,
    globint2: 0,
    globint3: 0,
    save1: 0,
    save2: 0,
    save3: 0,
    save4: 0,
});

fn mknon_ssaable() -> NonSsaable {
    G.lock().unwrap().globint1 += 1;
    let mut a = [0u8; 128];
    a[4] = 5;
    a
}

fn sideeffect(n: i64) -> i64 {
    G.lock().unwrap().globint2 += 1;
    n
}

fn sideeffect2(input: ContainsBigStruct) -> ContainsBigStruct {
    G.lock().unwrap().globint3 += 1;
    input
}

fn set_save1(n: NonSsaable) {
    G.lock().unwrap().save1 = n[4]
}
fn set_save2(b: BigStruct) {
    G.lock().unwrap().save2 = b.y
}
fn set_save3(e: BigStruct) {
    G.lock().unwrap().save3 = e.z
}
fn set_save4(e: BigStruct) {
    G.lock().unwrap().save4 = e.z
}

fn check() {
    let g = G.lock().unwrap();
    println!("globint1: {} save1: {}", g.globint1, g.save1);
    println!("globint2: {} save2: {}", g.globint2, g.save2);
    println!(
        "globint3: {} save3: {} save4: {}",
        g.globint3, g.save3, g.save4
    );
}

#[with_defer]
fn non_ssaable_args() {
    defer!(check());

    // Test function returning a non-SSAable arg
    defer!(set_save1(mknon_ssaable()));
    // Test composite literal that is not SSAable
    defer!(set_save2(BigStruct {
        x: 1,
        y: 2,
        z: 3,
        w: 4,
        p: 5,
        q: sideeffect(6)
    }));

    // Test struct field reference that is non-SSAable
    let mut foo = ContainsBigStruct::default();
    foo.element.z = 4;
    defer!(set_save3(foo.element));
    defer!(set_save4(sideeffect2(foo).element));
    foo.element.z = 99;
    println!("body done, foo.element.z = {}", foo.element.z);
}

pub fn main() {
    non_ssaable_args();
}
