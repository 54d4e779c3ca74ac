// Case deferred_pointer_args: the deferred helper takes a pointer that may be
// nil, `defer deferWrap(wrap, &err)` (the DeferWrap helper of
// github.com/tkw1536/goprogram's errwrap package, which checks
// `err == nil || *err == nil`), and a struct argument that holds pointers:
// the arguments are evaluated at the defer, but what they point to is read
// when the deferred call runs.
package main

import (
	"errors"
	"fmt"
)

type exitError struct {
	code int
	msg  string
}

func (e exitError) wrapError(err error) error {
	return fmt.Errorf("%s (exit %d): %w", e.msg, e.code, err)
}

func deferWrap(wrap exitError, err *error) {
	if err == nil || *err == nil {
		fmt.Println("deferWrap: nothing to wrap for", wrap.msg)
		return
	}
	*err = wrap.wrapError(*err)
}

type counters struct {
	ok     *int
	failed *int
}

func tally(c counters) {
	fmt.Println("tally: ok", *c.ok, "failed", *c.failed)
}

func run(name string, fail bool) (err error) {
	defer deferWrap(exitError{3, "run " + name}, &err)
	if fail {
		return errors.New("boom")
	}
	fmt.Println("ran", name)
	return nil
}

func runAll(names []string) {
	ok, failed := 0, 0
	defer tally(counters{&ok, &failed})
	defer deferWrap(exitError{1, "runAll"}, nil)
	for i, name := range names {
		if err := run(name, i%2 == 1); err != nil {
			fmt.Println("error:", err)
			failed++
		} else {
			ok++
		}
	}
}

func main() {
	runAll([]string{"a", "b", "c"})
}
