// Package deferbench holds the Go twins of fndefer's criterion benches
// (benches/*.rs): the same functions, the same cleanup work, timed with
// `go test -bench` on the same machine by benches/compare.sh.
//
// Which defer implementation each function gets is checked with
// `go build -gcflags=-d=defer`: the static ones are open-coded (Go 1.14+),
// the loop ones take the heap path (deferproc/deferreturn).
package deferbench

// bump is the deferred work, identical to benches/common/mod.rs: add to a
// counter. Not inlined, as in Rust, so every variant pays one real call.
//
//go:noinline
func bump(c *uint64, x uint64) {
	*c += x
}

// ---- static frames (open-coded defers) ----

//go:noinline
func static1(c *uint64, x uint64) uint64 {
	defer bump(c, x)
	if x&1 == 0 {
		return x / 2
	}
	return x*3 + 1
}

//go:noinline
func hand1(c *uint64, x uint64) uint64 {
	if x&1 == 0 {
		r := x / 2
		bump(c, x)
		return r
	}
	r := x*3 + 1
	bump(c, x)
	return r
}

//go:noinline
func static2(c *uint64, x uint64) uint64 {
	defer bump(c, x)
	defer bump(c, x+1)
	if x&1 == 0 {
		return x / 2
	}
	return x*3 + 1
}

//go:noinline
func hand2(c *uint64, x uint64) uint64 {
	if x&1 == 0 {
		r := x / 2
		bump(c, x+1)
		bump(c, x)
		return r
	}
	r := x*3 + 1
	bump(c, x+1)
	bump(c, x)
	return r
}

// static8 has a single return statement: Go open-codes defers only when
// (return statements) × (defers) ≤ 15, and 2 × 8 would not be.
//
//go:noinline
func static8(c *uint64, x uint64) uint64 {
	defer bump(c, x)
	defer bump(c, x+1)
	defer bump(c, x+2)
	defer bump(c, x+3)
	defer bump(c, x+4)
	defer bump(c, x+5)
	defer bump(c, x+6)
	defer bump(c, x+7)
	r := x*3 + 1
	if x&1 == 0 {
		r = x / 2
	}
	return r
}

//go:noinline
func hand8(c *uint64, x uint64) uint64 {
	r := x*3 + 1
	if x&1 == 0 {
		r = x / 2
	}
	bump(c, x+7)
	bump(c, x+6)
	bump(c, x+5)
	bump(c, x+4)
	bump(c, x+3)
	bump(c, x+2)
	bump(c, x+1)
	bump(c, x)
	return r
}

// ---- loop defers (heap path) ----

//go:noinline
func loopDefers(c *uint64, n uint64) {
	for i := uint64(0); i < n; i++ {
		defer bump(c, i)
	}
}

//go:noinline
func loopHand(c *uint64, n uint64) {
	var args []uint64
	for i := uint64(0); i < n; i++ {
		args = append(args, i)
	}
	for j := len(args) - 1; j >= 0; j-- {
		bump(c, args[j])
	}
}

// ---- error wrapping on a named result ----

type codeErr struct {
	code    uint32
	wrapped bool
}

func (e *codeErr) Error() string { return "code" }

// Preallocated so neither variant times the allocator (the Rust error is a
// Copy struct).
var (
	errBase    error = &codeErr{code: 7}
	errWrapped error = &codeErr{code: 7, wrapped: true}
)

//go:noinline
func step(x uint64) (uint64, error) {
	if x == 0 {
		return 0, errBase
	}
	return x * 3, nil
}

//go:noinline
func wrap(err error) error {
	if err == errBase {
		return errWrapped
	}
	return err
}

//go:noinline
func deferWrap(x uint64) (r uint64, err error) {
	defer func() {
		if err != nil {
			err = wrap(err)
		}
	}()
	y, err := step(x)
	if err != nil {
		return 0, err
	}
	return y + 1, nil
}

//go:noinline
func handWrap(x uint64) (uint64, error) {
	y, err := step(x)
	if err != nil {
		return 0, wrap(err)
	}
	return y + 1, nil
}

// ---- the panic path ----

//go:noinline
func panicFrame(c *uint64, depth uint32) uint64 {
	defer bump(c, 1)
	if depth <= 1 {
		panic("boom")
	}
	return panicFrame(c, depth-1) + 1
}

// catchPanic is the twin of Rust's catch_unwind at the top of the bench.
//
//go:noinline
func catchPanic(c *uint64, depth uint32) (caught bool) {
	defer func() {
		caught = recover() != nil
	}()
	panicFrame(c, depth)
	return false
}
