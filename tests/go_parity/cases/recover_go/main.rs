// Case recover_go: port of /usr/share/go-1.19/test/recover.go test6, test6WithClosures,
// test7, test9-test12 and test111 (recover from deferred methods on receivers of various
// sizes, from big frames, and after a nested panic/recover inside the deferred call).
// test2/test4 (`defer recover()`), the reflect variants and test15/16 (reflect.MakeFunc)
// have no Rust counterpart. The checks print what they see instead of runtime.Breakpoint.
use fndefer::{Panic, defer, recover, with_defer};

fn go_val(r: &Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

fn must_recover_body(v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>, x: i32) {
    let v = v1;
    if v.is_some() {
        println!("spurious recover {}", go_val(&v));
        return;
    }
    let v = v2;
    let Some(p) = &v else {
        println!("missing recover {}", x);
        return;
    };
    if p.downcast_ref::<i32>() != Some(&x) {
        println!("wrong value {} {}", go_val(&v), x);
        return;
    }

    // the value should be gone now regardless
    let v = v3;
    if v.is_some() {
        println!("recover didn't recover");
        return;
    }
    println!("mustRecoverBody ok: {}", x);
}

fn double_recover() -> Option<Panic> {
    recover()
}

fn big(v: Option<Panic>, must_recover: bool) {
    let mut x = [0i64; 100000];
    x[0] = 1;
    x[99999] = 1;
    std::hint::black_box(&x);

    if must_recover {
        if v.is_none() {
            println!("missing big recover");
        } else {
            println!("big recovered {}", go_val(&v));
        }
    } else {
        if v.is_some() {
            println!("spurious big recover");
        } else {
            println!("big saw nothing");
        }
    }
}

#[with_defer]
fn test6() {
    defer!(|| big(recover(), false));
    defer!(|| big(recover(), true));
    std::panic::panic_any(6i32);
}

#[with_defer]
fn test6_with_closures() {
    defer!(|| {
        let mut x = [0i64; 100000];
        x[0] = 1;
        x[99999] = 1;
        std::hint::black_box(&x);
        if recover().is_some() {
            println!("spurious big closure recover");
        }
    });
    defer!(|| {
        let mut x = [0i64; 100000];
        x[0] = 1;
        x[99999] = 1;
        std::hint::black_box(&x);
        if recover().is_none() {
            println!("missing big closure recover");
        }
    });
    panic!("6WithClosures");
}

#[with_defer]
fn test7inner(ok: &mut bool) {
    // should panic, then call mustRecover 7, which stops the panic.
    // then should keep processing ordinary defers earlier than that one
    // before returning.
    // this test checks that the defer func on the next line actually runs.
    defer!(|| *ok = true);
    defer!(|| must_recover_body(double_recover(), recover(), recover(), 7));
    std::panic::panic_any(7i32);
}

fn test7() {
    let mut ok = false;
    test7inner(&mut ok);
    if !ok {
        println!("did not run ok func");
    }
    println!("test7 ok = {}", ok);
}

trait I {
    fn m(&self, v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>);
}

// pointer receiver, so no wrapper in i.M()
struct T1;

impl I for Box<T1> {
    fn m(&self, v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>) {
        must_recover_body(v1, v2, v3, 9);
    }
}

#[with_defer]
fn test9() {
    let i: Box<dyn I> = Box::new(Box::new(T1));
    defer!(|| i.m(double_recover(), recover(), recover()));
    std::panic::panic_any(9i32);
}

// word-sized value receiver, so no wrapper in i.M()
#[allow(dead_code)]
struct T2(usize);

impl I for T2 {
    fn m(&self, v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>) {
        must_recover_body(v1, v2, v3, 10);
    }
}

#[with_defer]
fn test10() {
    let i: Box<dyn I> = Box::new(T2(0));
    defer!(|| i.m(double_recover(), recover(), recover()));
    std::panic::panic_any(10i32);
}

// tiny receiver, so basic wrapper in i.M()
struct T3;

impl I for T3 {
    fn m(&self, v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>) {
        must_recover_body(v1, v2, v3, 11);
    }
}

#[with_defer]
fn test11() {
    let i: Box<dyn I> = Box::new(T3);
    defer!(|| i.m(double_recover(), recover(), recover()));
    std::panic::panic_any(11i32);
}

struct Tiny;

impl I for Tiny {
    fn m(&self, _v1: Option<Panic>, _v2: Option<Panic>, _v3: Option<Panic>) {
        std::panic::panic_any(112i32);
    }
}

// A panic and recover of its own inside the deferred call, while the outer panic is
// pending: the outer recover must still find 111.
#[with_defer]
fn badstate() {
    defer!(|| {
        println!("badstate recovered {}", go_val(&recover()));
    });
    let i: Box<dyn I> = Box::new(Tiny);
    i.m(None, None, None);
}

#[with_defer]
fn test111() {
    defer!(|| {
        badstate(); // difference from T3
        must_recover_body(double_recover(), recover(), recover(), 111);
    });
    std::panic::panic_any(111i32);
}

// large receiver, so basic wrapper in i.M()
#[allow(dead_code)]
struct T4([String; 2]);

impl I for T4 {
    fn m(&self, v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>) {
        must_recover_body(v1, v2, v3, 12);
    }
}

#[with_defer]
fn test12() {
    let i: Box<dyn I> = Box::new(T4([String::new(), String::new()]));
    defer!(|| i.m(double_recover(), recover(), recover()));
    std::panic::panic_any(12i32);
}

pub fn main() {
    test6();
    test6_with_closures();
    test7();
    test9();
    test10();
    test11();
    test111();
    test12();
    println!("done");
}
