// Case aborted_panic: a panic inside a deferred call replaces the current panic; the
// remaining deferred calls still run and recover sees the newest panic; once recovered,
// later deferred calls see nil.
// runtime/defer_test.go TestAbortedPanic; recover1.go test2/test3 (sequential panic).
package main

import "fmt"

func abortedPanic() {
	defer func() {
		r := recover()
		fmt.Println("last deferred: recover() =", r)
	}()
	defer func() {
		r := recover()
		fmt.Println("second deferred: recover() =", r)
	}()
	defer func() {
		fmt.Println("first deferred: panicking with panic2")
		panic("panic2")
	}()
	panic("panic1")
}

func sequential() {
	defer func() {
		fmt.Println("sequential: final recover() =", recover())
	}()
	defer func() {
		v := recover()
		fmt.Println("sequential: recovered", v, "then panic(3)")
		panic(3)
	}()
	defer fmt.Println("sequential: plain deferred print still runs")
	panic(2)
}

func main() {
	abortedPanic()
	sequential()
	fmt.Println("main done")
}
