//! Compile-time diagnostics (the design's Diagnostics section): every misuse fails with
//! an error at the user's token that says what to write instead, every lint
//! warns at the site and is silenced by `#[with_defer(allow(..))]`.
//!
//! Warnings are pinned as `compile_fail` cases with `#![deny(deprecated)]`
//! (the lints are `#[deprecated]` constants), so the `.stderr` shows them.
//! Regenerate with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
