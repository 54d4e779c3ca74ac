// Case repanic: recover, then panic again (with the same value or a new one); the caller's
// deferred recover sees the new panic. Unwinding through several frames, each recovering
// and re-panicking until the right level handles it.
// runtime/defer_test.go TestDeferWithRepeatedRepanics (interpreter); idiom `panic(r)` after logging.
package main

import "fmt"

func inner() {
	defer func() {
		r := recover()
		fmt.Println("inner recovered:", r)
		panic(fmt.Sprintf("re-panic: %v", r))
	}()
	defer fmt.Println("inner deferred print runs first")
	panic("boom")
}

func middle() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("middle saw:", r, "- passing it on")
			panic(r)
		}
	}()
	inner()
	fmt.Println("middle: not reached")
}

func outer() (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint("outer handled: ", r)
		}
	}()
	middle()
	return "no panic"
}

func interpreter(level int, maxlevel int, rec int) {
	defer func() {
		e := recover()
		if e == nil {
			return
		}
		if level != e.(int) {
			fmt.Println("re-panicking at level", level)
			panic(e)
		}
		fmt.Println("recovered at level", level)
	}()
	if level+1 < maxlevel {
		interpreter(level+1, maxlevel, rec)
	} else {
		fmt.Println("initiating panic", rec)
		panic(rec)
	}
}

func main() {
	fmt.Println(outer())
	interpreter(0, 6, 2)
	interpreter(0, 5, 1)
	interpreter(0, 3, 0)
}
