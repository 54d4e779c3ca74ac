// Case recover_helper_nil: recover stops a panic only when called directly by the deferred
// function; from a helper called by it (or deeper) it returns nil; a second recover in the
// same deferred function returns nil. A reusable handler therefore takes the recovered value.
// recover.go test1, test1WithClosures, mustRecover/mustNotRecover/withoutRecover/doubleRecover.
package main

import "fmt"

func doubleRecover() interface{} {
	return recover()
}

func mustNotRecover(where string) {
	v := recover()
	fmt.Println(where, "mustNotRecover: recover() =", v)
}

func withoutRecover() {
	mustNotRecover("withoutRecover") // because it's a sub-call
}

func withoutRecoverRecursive(n int) {
	if n == 0 {
		withoutRecoverRecursive(1)
	} else {
		v := recover()
		fmt.Println("withoutRecoverRecursive: recover() =", v)
	}
}

func handle(v interface{}) {
	fmt.Println("handle: got", v)
}

func test1() {
	defer mustNotRecover("test1 last") // because mustRecover will squelch it
	defer func() {
		// mustRecover(1)
		fmt.Println("doubleRecover() =", doubleRecover())
		v := recover()
		fmt.Println("recover() =", v)
		fmt.Println("second recover() =", recover())
	}()
	defer withoutRecover()           // should be no-op, leaving for mustRecover to find
	defer withoutRecoverRecursive(0) // ditto
	panic(1)
}

func test1WithClosures() {
	defer func() {
		v := recover()
		fmt.Println("closure 3: recover() =", v)
	}()
	defer func(x interface{}) {
		mustNotRecover("closure 2")
		v := recover()
		fmt.Println("closure 2: recover() =", v, "want", x)
	}(1)
	defer func() {
		mustNotRecover("closure 1")
	}()
	panic(1)
}

func handlerStyle() {
	defer func() { handle(recover()) }()
	panic("handled by a helper that takes the value")
}

func main() {
	test1()
	test1WithClosures()
	handlerStyle()
	fmt.Println("main: recover() =", recover())
}
