// Case onepass_merge_runes: regexp's mergeRuneSets (src/regexp/onepass.go,
// Go 1.19): a deferred closure that resets the locals merged and next when
// !ok — after the return values are taken, so it changes nothing the caller
// sees — beside a local closure that appends to them. Go's `return merged,
// next` copies two slice headers; here the adopted Vecs are taken out with
// `std::mem::take`, as the error for a plain `(merged, next)` says. rustc
// warns that the deferred assignments are never read, which is true in Go
// too (the results are not named): allowed here to keep the port as is.
use fndefer::{defer, defer_scope, recover, with_defer};

const MERGE_FAILED: u32 = 0xffff_ffff;

fn no_rune() -> Vec<i32> {
    Vec::new()
}

fn no_next() -> Vec<u32> {
    vec![MERGE_FAILED]
}

#[with_defer]
#[allow(unused_assignments)]
fn merge_rune_sets(
    left_runes: &[i32],
    right_runes: &[i32],
    left_pc: u32,
    right_pc: u32,
) -> (Vec<i32>, Vec<u32>) {
    let left_len = left_runes.len();
    let right_len = right_runes.len();
    if left_len & 0x1 != 0 || right_len & 0x1 != 0 {
        panic!("mergeRuneSets odd length []rune");
    }
    let (mut lx, mut rx) = (0usize, 0usize);
    let mut merged: Vec<i32> = Vec::new();
    let mut next: Vec<u32> = Vec::new();
    let mut ok = true;
    defer!(|| {
        if !ok {
            merged = Vec::new();
            next = Vec::new();
        }
    });

    let mut ix: isize = -1;
    let mut extend = |new_low: &mut usize, new_array: &[i32], pc: u32| -> bool {
        if ix > 0 && new_array[*new_low] <= merged[ix as usize] {
            return false;
        }
        merged.extend([new_array[*new_low], new_array[*new_low + 1]]);
        *new_low += 2;
        ix += 2;
        next.push(pc);
        true
    };

    while lx < left_len || rx < right_len {
        ok = if rx >= right_len {
            extend(&mut lx, left_runes, left_pc)
        } else if lx >= left_len {
            extend(&mut rx, right_runes, right_pc)
        } else if right_runes[rx] < left_runes[lx] {
            extend(&mut rx, right_runes, right_pc)
        } else {
            extend(&mut lx, left_runes, left_pc)
        };
        if !ok {
            return (no_rune(), no_next());
        }
    }
    (std::mem::take(&mut merged), std::mem::take(&mut next))
}

struct RuneMergeTest {
    left: &'static [i32],
    right: &'static [i32],
    left_pc: u32,
    right_pc: u32,
}

const fn t(left: &'static [i32], right: &'static [i32], left_pc: u32, right_pc: u32) -> RuneMergeTest {
    RuneMergeTest { left, right, left_pc, right_pc }
}

// runeMergeTests (onepass_test.go), without the expected values.
const RUNE_MERGE_TESTS: [RuneMergeTest; 13] = [
    t(&[69, 69], &[], 1, 2),                               // empty rhs
    t(&[69, 69], &[69, 69], 1, 1),                         // identical runes, identical targets
    t(&[69, 69], &[69, 69], 1, 2),                         // identical runes, different targets
    t(&[69, 69], &[71, 71], 1, 2),                         // append right-first
    t(&[71, 71], &[69, 69], 1, 2),                         // append, left-first
    t(&[60, 60, 71, 71, 101, 101], &[69, 69, 88, 88], 1, 2), // successful interleave
    t(&[69, 74], &[71, 71], 1, 2),                         // left surrounds right
    t(&[69, 74], &[68, 75], 1, 2),                         // right surrounds left
    t(&[69, 74], &[74, 75], 1, 2),                         // overlap at interval begin
    t(&[69, 74], &[65, 69], 1, 2),                         // overlap ar interval end
    t(&[69, 74], &[71, 74], 1, 2),                         // overlap from above
    t(&[69, 74], &[65, 71], 1, 2),                         // overlap from below
    t(&[69, 74, 60, 65], &[66, 67], 1, 2),                 // out of order []rune
];

fn go_slice<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(" "))
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    for (ix, test) in RUNE_MERGE_TESTS.iter().enumerate() {
        let (merged, next) = merge_rune_sets(test.left, test.right, test.left_pc, test.right_pc);
        println!("{ix}: merged {} next {}", go_slice(&merged), go_slice(&next));
    }
    // An odd-length input panics before the defer.
    defer_scope!(|| {
        defer!(|| println!(
            "recovered: {}",
            recover().map_or("<nil>".to_string(), |p| p.to_string())
        ));
        let odd = [1];
        merge_rune_sets(&odd, &odd, 0, 0);
    })();
}
