// Case recover1_go2: port of /usr/share/go-1.19/test/recover1.go test7 (test1-test4 are in
// recover1_go): `defer recover()` as the deferred call itself is a no-op, in Go and in
// fndefer (`defer!(recover())` calls recover at exit, outside any deferred code). test5 and
// test6 cannot be expressed: there Go's `defer recover()` inside a deferred func literal
// stops the outer panic, while fndefer's recover() only ever acts on its own function's
// panic (see COVERAGE.md). The checks print what they see instead of runtime.Breakpoint.
// Go's `defer mustRecover(x)` is the fndefer idiom `defer!(|| must_recover(recover(), x))`.
package main

import "fmt"

func mustRecover(x interface{}) {
	mustNotRecover() // because it's not a defer call
	v := recover()
	if v == nil {
		fmt.Println("missing recover")
		return
	}
	if v != x {
		fmt.Println("wrong value", v, x)
		return
	}

	// the value should be gone now regardless
	v = recover()
	if v != nil {
		fmt.Println("recover didn't recover")
		return
	}
	fmt.Println("mustRecover ok:", x)
}

func mustNotRecover() {
	v := recover()
	if v != nil {
		fmt.Println("spurious recover", v)
	}
}

func test7() {
	// Like test6, but swapped defer order.
	// The recover in "defer recover()" is now a no-op,
	// because it runs called from panic, not from the func,
	// and therefore cannot see the panic of 2.
	// (Alternately, it cannot see the panic of 2 because
	// there is an active panic of 3.  And it cannot see the
	// panic of 3 because it is at the wrong level (too high on the stack).)
	defer mustRecover(2)
	defer func() {
		defer mustRecover(3)
		defer recover() // now a no-op, unlike in test6.
		panic(3)
	}()
	panic(2)
}

func main() {
	test7()
	fmt.Println("test7 done")
}
