// Case nested_blocks: a defer inside an if/for/switch block runs when the function
// returns, not when the block ends; a defer on a path not taken never runs.
// Idiom; runtime/defer_test.go TestConditionalDefers and TestDisappearingDefer.
use fndefer::{defer, with_defer};
use std::sync::Mutex;

static LIST: Mutex<Vec<i32>> = Mutex::new(Vec::new());

fn doappend(i: i32) {
    LIST.lock().unwrap().push(i);
}

// fmt.Println of a []int: "[4 2 1]".
fn go_slice(v: &[i32]) -> String {
    let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    format!("[{}]", items.join(" "))
}

#[with_defer]
fn test_conditional_defers(n: i32) {
    defer!(doappend(1));
    if n > 5 {
        defer!(doappend(2));
        if n > 8 {
            defer!(doappend(3));
        } else {
            defer!(doappend(4));
        }
    }
    println!("testConditionalDefers body {}", n);
}

#[with_defer(allow(loop))]
fn blocks(mode: &str) {
    {
        defer!(println!("deferred in bare block"));
        println!("end of bare block");
    }
    if mode == "if" {
        defer!(println!("deferred in if"));
        println!("end of if block");
    }
    for i in 0..2 {
        if i == 1 {
            defer!(println!("deferred in loop at i = {}", i));
        }
        println!("end of iteration {}", i);
    }
    match mode {
        "never" => {
            defer!(println!("defer shouldn't run"));
        }
        _ => {
            defer!(println!("deferred in switch default"));
        }
    }
    println!("end of function {}", mode);
}

pub fn main() {
    for n in [8, 9, 3] {
        LIST.lock().unwrap().clear();
        test_conditional_defers(n);
        println!("{} {}", n, go_slice(&LIST.lock().unwrap()));
    }
    blocks("if");
    blocks("else");
}
