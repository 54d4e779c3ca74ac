// Case recover_zero_value: after recover, a function returns whatever its named results
// hold: the zero value when nothing was assigned, the value assigned before the panic
// otherwise; a function without results just returns. recover() when not panicking is nil.
// Idiom; recover.go test3 (recover in a deferred closure squelches), mustNotRecover.
use fndefer::{Panic, defer, recover, with_defer};

// fmt.Println of a recovered value: the panic message, or <nil>.
fn go_val(r: Option<Panic>) -> String {
    match r {
        Some(p) => p.to_string(),
        None => "<nil>".to_string(),
    }
}

// Go's named results start as zero values: a ported `ret` that is still None after a
// recover gets them explicitly (fndefer would otherwise resume the panic).
#[with_defer]
fn zero() -> (i32, String) {
    defer!(|ret| {
        let r = recover();
        ret.get_or_insert_with(Default::default);
        println!("zero: recovered {}", go_val(r));
    });
    panic!("boom");
}

#[with_defer]
fn assigned() -> i32 {
    let mut n = 0;
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(n);
        }
    });
    n = 7;
    panic!("after assigning 7");
}

#[with_defer]
#[allow(unreachable_code)]
fn no_result() {
    defer!(|| {
        println!("noResult: recovered {}", go_val(recover()));
    });
    panic!("in noResult");
    println!("not reached");
}

#[with_defer]
fn not_panicking() -> i32 {
    defer!(|ret| {
        let r = recover();
        println!(
            "notPanicking: recover() = {} n = {}",
            go_val(r),
            ret.unwrap()
        );
    });
    42
}

pub fn main() {
    let (n, s) = zero();
    println!("zero() = {} {:?}", n, s);
    println!("assigned() = {}", assigned());
    no_result();
    println!("notPanicking() = {}", not_panicking());
    println!("recover() in main = {}", go_val(recover()));
}
