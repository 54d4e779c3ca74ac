#!/usr/bin/env bash
# Transparency check (issue 13): `#[with_defer]` must never change what a
# valid function means. For each pinned crate from crates.io: build, lint and
# test it as published (the baseline), then add `#[::fndefer::with_defer]`
# and a harmless `::fndefer::defer!(|| {});` to every function with a body
# (tests/transparency/annotate) and do it all again. Any compile error, any
# failing or missing test, and any rustc/clippy warning that appears or
# disappears (compared by lint + file + line; the annotator keeps every line
# where it was) is a failure, but for the vanished warnings of the kinds the
# crate docs name as lost on stable Rust (see `known_vanish` below).
#
#   tests/transparency/run.sh [--attr-only] [--ret] [CRATE..]
#
#   --attr-only   only the attribute, no defer!(..) in the bodies
#   --ret         defer!(|ret| { let _ = &ret; }) where the return type can be named
#   CRATE..       a subset of the pinned list, by name
#   HELD_OUT="base64=0.22.1 glob=0.3.2"   other crates instead of the list
#   TRANSPARENCY_DIR   where the sources and builds go (target/transparency)
#
# The sources are fetched by cargo on every run (never committed) into
# target/transparency/ (ignored by git). Needs cargo, clippy, python3.
# Every cargo runs with `nice -n 19` and CARGO_BUILD_JOBS=1 unless
# CARGO_BUILD_JOBS is set.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="${TRANSPARENCY_DIR:-$root/target/transparency}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"
export CARGO_INCREMENTAL=0          # time non-incremental builds
export CARGO_TARGET_DIR="$work/target"  # shared by every scratch crate: deps build once
export CARGO_TERM_COLOR=never
unset RUSTFLAGS
export LC_ALL=C                     # sort/comm agree on the order
cargo_bin=$(type -P cargo) || { echo "cargo not found" >&2; exit 2; }
cargo() { nice -n 19 "$cargo_bin" "$@"; }

# name=version  test/lint flags (the crate's own suite, offline, stable Rust)
# Each is a pure-Rust std crate with a suite that passes unmodified here.
declare -A FLAGS=(
  [semver=1.0.28]="--all-features"        # parsers: &str params re-sliced and reassigned, -> impl, Display impls, `const fn`
  [bytes=1.12.2]="--all-features"         # Buf/BufMut: &mut self re-slicing, #[track_caller], unsafe fns (missing_safety_doc), no_std + extern crate std
  [either=1.19.0]="--all-features"        # generics + macro_rules! forwarding methods, trait impls with default methods
  [smallvec=1.16.6]="--features write,const_new,drain_keep_rest"  # unsafe-heavy, #[inline], panics, drop order tests
  [arrayvec=0.7.8]="--features std,serde" # unsafe, const fn, drop-order tests, #[track_caller]
  [scopeguard=1.2.0]=""                   # defines its own `defer!`; edition 2015
  # Added later as held-out crates (first run with the macro as it was):
  [shlex=1.3.0]=""                        # byte-slice state machines, by-value enum params
  [slab=0.4.9]=""                         # cfg_attr(.., track_caller), Index/IndexMut impls, iterators
  [strsim=0.11.1]=""                      # generic iterator algorithms, Result-returning fns
  [percent-encoding=2.3.1]=""             # no_std + extern crate std, Cow returns, const fns
  [hex=0.4.3]=""                          # FromHex/ToHex traits, iterator adaptors, errors
  [fastrand=2.3.0]=""                     # thread-local RNG reached through fn paths (must_use_candidate)
  [unicode-xid=0.2.6]=""                  # table lookups by binary search
  # A third held-out round (base64 0.22.1 passes too, but its suite takes
  # ~15 min annotated here; glob's fails as root, unannotated as well):
  [byteorder=1.5.0]=""                    # ReadBytesExt/WriteBytesExt default methods, unsafe copies
  [siphasher=1.0.1]=""                    # Hasher impls with state in &mut self, macros in bodies
  [adler2=2.0.0]=""                       # no_std + std feature, SIMD-free loops over chunks
  [ryu=1.0.18]=""                         # no_std float formatting: unsafe pointer writes, const tables
  # A fourth round (bit-vec 0.8.0, humantime 2.1.0, camino 1.1.9 pass too):
  [indexmap=2.6.0]=""                     # entries holding &'a mut, by-value self lending for 'a (into_mut)
)
ORDER=(semver=1.0.28 bytes=1.12.2 either=1.19.0 smallvec=1.16.6 arrayvec=0.7.8 scopeguard=1.2.0
       shlex=1.3.0 slab=0.4.9 strsim=0.11.1 percent-encoding=2.3.1
       hex=0.4.3 fastrand=2.3.0 unicode-xid=0.2.6
       byteorder=1.5.0 siphasher=1.0.1 adler2=2.0.0 ryu=1.0.18 indexmap=2.6.0)
# HELD_OUT="name=version .." runs these crates instead of the pinned list
# (with no extra flags): crates the fixes were not made for.
if [ -n "${HELD_OUT:-}" ]; then
  read -r -a ORDER <<<"$HELD_OUT"
  for nv in "${ORDER[@]}"; do FLAGS[$nv]="${FLAGS[$nv]:-}"; done
fi
TARGETS="--lib --tests --examples"   # benches of several need nightly
# pedantic too: more user warnings that must neither appear nor vanish
# (--cap-lints warn: clippy's deny-by-default lints fail some suites' tests as published)
CLIPPY_LINTS="-W clippy::pedantic --cap-lints warn"

mode=()
want=()
for a in "$@"; do
  case "$a" in
    --attr-only|--ret) mode+=("$a") ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "unknown option $a" >&2; exit 2 ;;
    *) want+=("$a") ;;
  esac
done
sel=()
for nv in "${ORDER[@]}"; do
  if [ ${#want[@]} -eq 0 ]; then sel+=("$nv"); continue; fi
  for w in "${want[@]}"; do [ "${nv%%=*}" = "$w" ] && sel+=("$nv"); done
done
[ ${#sel[@]} -gt 0 ] || { echo "no such crate: ${want[*]}; pinned: ${ORDER[*]}" >&2; exit 2; }

t_start=$(date +%s)
mkdir -p "$work"

# ---- the annotator -------------------------------------------------------
echo "== building the annotator"
( cd "$here/annotate" && cargo build --release -q ) || exit 2
annotate="$work/target/release/fndefer-transparency-annotate"

# ---- fetch the pinned sources with cargo ---------------------------------
echo "== fetching ${sel[*]}"
fetch="$work/fetch"
rm -rf "$fetch"; mkdir -p "$fetch/src"; : > "$fetch/src/lib.rs"
{
  printf '[package]\nname = "fndefer-transparency-fetch"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n[dependencies]\n'
  for nv in "${sel[@]}"; do printf '%s = "=%s"\n' "${nv%%=*}" "${nv#*=}"; done
} > "$fetch/Cargo.toml"
( cd "$fetch" && cargo fetch -q ) || { echo "cargo fetch failed" >&2; exit 2; }
meta=$(cd "$fetch" && cargo metadata --format-version 1 2>/dev/null) || exit 2

# ---- helpers ---------------------------------------------------------------
# warnings/errors out of cargo's JSON: "KIND<TAB>lint<TAB>file:line<TAB>message"
# for the crate's own files (relative paths; dependencies, including fndefer
# itself, have absolute ones).
diags() {
  python3 - "$1" "${2:-/dev/null}" <<'PY'
import json, sys
rendered = open(sys.argv[2], "a", encoding="utf-8")
seen = set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.startswith("{"):
        continue
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") != "compiler-message":
        continue
    d = m["message"]
    if d["level"] not in ("warning", "error") or not d["spans"]:
        continue
    prim = [s for s in d["spans"] if s["is_primary"]] or d["spans"]
    s = prim[0]
    # a span inside a macro expansion: report where the user wrote it
    while s.get("expansion") and s["file_name"].startswith("<"):
        s = s["expansion"]["span"]
    f = s["file_name"]
    if f.startswith("/") or f.startswith("<"):
        continue
    code = (d.get("code") or {}).get("code") or ("E?" if d["level"] == "error" else "warning")
    msg = d["message"].splitlines()[0]
    print(f'{d["level"]}\t{code}\t{f}:{s["line_start"]}\t{msg}')
    if d["level"] == "error" and d.get("rendered") and d["rendered"] not in seen:
        seen.add(d["rendered"])
        rendered.write(d["rendered"] + "\n")
PY
}

# "passed failed ignored" summed over the `test result:` lines
test_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1); if ($(i) ~ /^ignored/) g += $(i-1) } }
       END { printf "%d %d %d\n", p, f, g }' "$1"
}

# one variant: lint, build (and time it), test. $1 = dir, $2 = flags, $3 = prefix,
# $4 = clippy (or noclippy: $3.clippy.json is there already)
run_variant() {
  local dir=$1 flags=$2 out=$3 t0 t1
  if [ "$4" = clippy ]; then
    ( cd "$dir" && cargo clippy $flags $TARGETS --message-format=json -- $CLIPPY_LINTS ) > "$out.clippy.json" 2> "$out.clippy.err"
    echo $? > "$out.clippy.rc"
  fi
  ( cd "$dir" && cargo test $flags --no-run --message-format=json ) > "$out.build.json" 2> "$out.build.err"
  echo $? > "$out.build.rc"
  # The crate's own compile time, non-incremental, dependencies built:
  # touch its sources and build every test target again.
  find "$dir" -name '*.rs' -exec touch {} +
  t0=$(date +%s.%N)
  ( cd "$dir" && cargo test $flags --no-run -q ) > /dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }' > "$out.time"
  ( cd "$dir" && cargo test $flags --no-fail-fast ) > "$out.test.log" 2>&1
  echo $? > "$out.test.rc"
  { diags "$out.clippy.json" | sed 's/^/clippy\t/'; diags "$out.build.json" | sed 's/^/rustc\t/'; } > "$out.diags"
}

fail_total=0
summary=()
MAX_PASSES=6
for nv in "${sel[@]}"; do
  name=${nv%%=*}; ver=${nv#*=}; flags=${FLAGS[$nv]}
  src=$(printf '%s' "$meta" | python3 -c 'import json,sys,os; n,v=sys.argv[1:3]
for p in json.load(sys.stdin)["packages"]:
    if p["name"]==n and p["version"]==v: print(os.path.dirname(p["manifest_path"]))' "$name" "$ver" | head -1)
  [ -d "$src" ] || { echo "source of $nv not found" >&2; exit 2; }
  d="$work/$name"
  rm -rf "$d"; mkdir -p "$d"
  cp -r "$src" "$d/pristine"; chmod -R u+w "$d/pristine"
  # not part of this repository's workspace
  grep -q '^\[workspace\]' "$d/pristine/Cargo.toml" || printf '\n[workspace]\n' >> "$d/pristine/Cargo.toml"
  cp -r "$d/pristine" "$d/base"
  edition=$(sed -n 's/^edition *= *"\([0-9]*\)".*/\1/p' "$d/base/Cargo.toml" | head -1)

  echo "== $nv ($flags) baseline"
  run_variant "$d/base" "$flags" "$d/base" clippy

  # Annotate; while it does not compile, record the errors and leave out the
  # innermost function around each error line (then the next one out, if the
  # line still fails), so tests and warnings are still compared for the rest.
  : > "$d/exclude"; : > "$d/errors.all"; : > "$d/errors.rendered"
  pass=1; prev_ex=-1
  while :; do
    rm -rf "$d/annot"; cp -r "$d/pristine" "$d/annot"
    # fndefer as a normal dependency: visible to src/, tests/ and examples/.
    printf '\n[dependencies.fndefer]\npath = "%s"\n' "$root" >> "$d/annot/Cargo.toml"
    # edition 2015: `::fndefer` is a path from the crate root, which needs
    # `extern crate fndefer;` (put before the first item, on its line)
    ext=(); { [ -z "$edition" ] || [ "$edition" = 2015 ]; } && ext=(--extern-crate)
    "$annotate" "${mode[@]}" "${ext[@]}" --exclude "$d/exclude" "$d/annot" src tests examples > "$d/annotate.log" 2>&1 \
      || { echo "annotator failed" >&2; cat "$d/annotate.log"; exit 2; }
    ex=$(sed -n 's/^TOTAL .* excluded=\([0-9]*\).*/\1/p' "$d/annotate.log")
    if [ $pass = 1 ]; then
      echo "== $nv annotating ${mode[*]:-}"
      grep -E '^(SKIP|NOTE)' "$d/annotate.log" | sed 's/^/   /'
    fi
    echo "   pass $pass: $(grep '^TOTAL' "$d/annotate.log")"
    ( cd "$d/annot" && cargo clippy $flags $TARGETS --message-format=json -- $CLIPPY_LINTS ) > "$d/annot.clippy.json" 2> "$d/annot.clippy.err"
    echo $? > "$d/annot.clippy.rc"
    diags "$d/annot.clippy.json" "$d/pass$pass.rendered" | grep -P '^error\t' | sort -u > "$d/pass$pass.errors"
    [ -s "$d/pass$pass.errors" ] || break
    sed "s/^/pass $pass\t/" "$d/pass$pass.errors" >> "$d/errors.all"
    cat "$d/pass$pass.rendered" >> "$d/errors.rendered"
    { [ $pass -lt $MAX_PASSES ] && [ "$ex" != "$prev_ex" ]; } || break
    cut -f3 "$d/pass$pass.errors" | sort -u >> "$d/exclude"
    prev_ex=$ex; pass=$((pass + 1))
  done
  nfn=$(sed -n 's/^TOTAL annotated=\([0-9]*\).*/\1/p' "$d/annotate.log")
  echo "== $nv annotated ($nfn functions, $ex left out)"
  run_variant "$d/annot" "$flags" "$d/annot" noclippy

  # ---- compare ----
  read -r bp bf bi < <(test_counts "$d/base.test.log")
  read -r ap af ai < <(test_counts "$d/annot.test.log")
  brc=$(cat "$d/base.test.rc"); arc=$(cat "$d/annot.test.rc")
  # Lints that judge the shape of a whole body (`partial_cmp` being
  # `Some(self.cmp(other))`, `clone` being `*self`, `default` being one
  # variant or value that `#[derive(Default)]` would give) see the statement
  # the check inserts, not fndefer (extra_unused_type_parameters skips empty
  # bodies, which the check fills): they are not compared.
  body_shape='clippy::(non_canonical_(partial_ord|clone)_impl|extra_unused_type_parameters|derivable_impls)'
  grep -P '^\S+\twarning\t' "$d/base.diags"  | cut -f1,3,4 | grep -vP "\t$body_shape\t" | sort > "$d/base.warn"
  grep -P '^\S+\twarning\t' "$d/annot.diags" | cut -f1,3,4 | grep -vP "\t$body_shape\t" | sort > "$d/annot.warn"
  # multiset difference: `comm` on sorted lists with duplicates
  comm -13 "$d/base.warn" "$d/annot.warn" > "$d/new.warn"
  comm -23 "$d/base.warn" "$d/annot.warn" > "$d/vanished.warn"
  nerr=$(cut -f3,4 "$d/errors.all" | sort -u | wc -l)
  # Vanished warnings of the kinds the crate docs name as lost on stable Rust
  # (FINDINGS.md) are reported but do not fail the crate: clippy reads them
  # from a structure the expansion must change (the body runs in a closure
  # that owns the parameters and returns the result: needless_pass_by_value,
  # unnecessary_wraps), from doc comments re-emitted by an attribute macro
  # (clippy's doc_* lints), or, in edition-2015/2018 crates, skips the body
  # closure as macro output (any clippy lint in an annotated body). Any other
  # vanished warning (a lint attribute of the expansion covering user code,
  # kind 8) fails it, as do compile errors, failing tests and new warnings.
  known_vanish='clippy::(needless_pass_by_value|unnecessary_wraps|doc_[a-z_]+)'
  case "$edition" in "" | 2015 | 2018) known_vanish='clippy::[a-z_]+' ;; esac
  grep -P "^\S+\t$known_vanish\t" "$d/vanished.warn" > "$d/vanished.known" || true
  grep -vP "^\S+\t$known_vanish\t" "$d/vanished.warn" > "$d/vanished.unknown" || true
  nnew=$(wc -l < "$d/new.warn"); nvan=$(wc -l < "$d/vanished.unknown"); nknown=$(wc -l < "$d/vanished.known")
  tb=$(cat "$d/base.time"); ta=$(cat "$d/annot.time")
  ratio=$(awk -v a="$ta" -v b="$tb" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')

  status=ok
  if [ "$brc" != 0 ] || [ "$(cat "$d/base.clippy.rc")" != 0 ]; then
    status="BASELINE FAILS"
  fi
  if [ "$(cat "$d/annot.build.rc")" != 0 ] || [ -s "$d/pass$pass.errors" ]; then
    annot_res="COMPILE ERROR"
  elif [ "$arc" != 0 ] || [ "$af" -gt 0 ] || [ "$ap" -lt "$bp" ]; then
    annot_res="TESTS FAIL ($ap ok, $af failed)"
  else
    annot_res="ok ($ap passed)"
  fi
  if [ "$status" != ok ] || [ "${annot_res%% *}" != ok ] || [ "$nerr" -gt 0 ] || [ "$nnew" -gt 0 ] || [ "$nvan" -gt 0 ]; then
    fail_total=$((fail_total + 1))
  fi

  if [ "$nerr" -gt 0 ]; then
    echo "   compile errors ($nerr; all in $d/errors.all, rendered in $d/errors.rendered):"
    cut -f3- "$d/errors.all" | awk -F'\t' '!seen[$1 FS $2]++' | head -20 | sed 's/^/     /'
  fi
  if [ "$nnew" -gt 0 ]; then
    echo "   new warnings ($nnew; all in $d/new.warn):"; cut -f2 "$d/new.warn" | sort | uniq -c | sort -rn | head -15 | sed 's/^/  /'
  fi
  if [ "$nvan" -gt 0 ]; then
    echo "   vanished warnings ($nvan; all in $d/vanished.unknown):"; cut -f2 "$d/vanished.unknown" | sort | uniq -c | sort -rn | head -15 | sed 's/^/  /'
  fi
  if [ "$nknown" -gt 0 ]; then
    echo "   vanished, of the kinds known lost ($nknown; all in $d/vanished.known):"; cut -f2 "$d/vanished.known" | sort | uniq -c | sort -rn | head -15 | sed 's/^/  /'
  fi
  if [ "${annot_res%% *}" = TESTS ]; then
    echo "   failing tests:"; grep -E '^test .* FAILED$' "$d/annot.test.log" | head -15 | sed 's/^/     /'
  fi
  summary+=("$(printf '%-11s %-8s %5s %4s %-12s %-24s %5s %5s %5s %7s %7s %6s' "$name" "$ver" "$nfn" "$ex" \
    "$([ "$status" = ok ] && echo "$bp passed" || echo "$status")" "$annot_res" "$nerr" "$nnew" "$nvan+$nknown" "$tb" "$ta" "$ratio")")
done

echo
what='attribute + defer!(|| {})'
[ ${#mode[@]} -gt 0 ] && what="${mode[*]}"
echo "== transparency summary ($what)"
printf '%-11s %-8s %5s %4s %-12s %-24s %5s %5s %5s %7s %7s %6s\n' crate version fns left baseline annotated errs new vanish base_s annot_s ratio
for l in "${summary[@]}"; do echo "$l"; done
echo "(fns: functions annotated in the last pass; left: left out around compile errors; errs: distinct compile errors over all passes;"
echo " new/vanish: rustc + clippy warnings by source, lint, file and line; vanish: others + of the kinds known lost (not failures);"
echo " *_s: the crate's own non-incremental build of its test targets, s)"
echo "total wall time: $(( $(date +%s) - t_start ))s; $fail_total of ${#sel[@]} crates failed"
[ $fail_total -eq 0 ]
