// Case recover_matching: recover() does not succeed unless it is called from a deferred
// function run by the panicking function itself: a deferred function's own deferred
// function sees nil. runtime/defer_test.go TestRecoverMatching, TestUnconditionalPanic.
package main

import "fmt"

func unconditionalPanic() {
	defer func() {
		fmt.Println("unconditional: recovered", recover() == "testUnconditional")
	}()
	panic("testUnconditional")
}

func recoverMatching() {
	defer func() {
		r := recover()
		fmt.Println("outer deferred: recover() =", r)
	}()
	defer func() {
		defer func() {
			// Shouldn't succeed, even though it is called directly
			// from a defer function, since this defer function was
			// not directly called by the panic.
			r := recover()
			fmt.Println("nested deferred: recover() =", r)
		}()
	}()
	panic("panic1")
}

func main() {
	unconditionalPanic()
	recoverMatching()
}
