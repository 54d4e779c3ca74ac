// Case recover1_go: port of /usr/share/go-1.19/test/recover1.go test1-test4 (recover during
// recursive panics). A deferred func literal with its own defers becomes a named
// #[with_defer] fn in Rust. test5-test7 (`defer recover()`, recover itself as the deferred
// call) are left out: fndefer has no counterpart for deferring recover itself.
// The checks print what they see instead of calling runtime.Breakpoint.
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

func test1inner() {
	defer mustRecover(2)
	panic(2)
}

func test1() {
	// Easy nested recursive panic.
	defer mustRecover(1)
	defer test1inner()
	panic(1)
}

func test2inner() {
	v := recover()
	if v == nil || v.(int) != 2 {
		fmt.Println("wrong value", v, 2)
	}
	defer mustRecover(3)
	panic(3)
}

func test2() {
	// Sequential panic.
	defer mustNotRecover()
	defer test2inner()
	panic(2)
}

func test3inner() {
	recover()
	defer mustRecover(3)
	panic(3)
}

func test3() {
	// Sequential panic - like test2 but less picky.
	defer mustNotRecover()
	defer test3inner()
	panic(2)
}

func test4() {
	// Single panic.
	defer mustNotRecover()
	defer func() {
		recover()
	}()
	panic(4)
}

func main() {
	test1()
	fmt.Println("test1 done")
	test2()
	fmt.Println("test2 done")
	test3()
	fmt.Println("test3 done")
	test4()
	fmt.Println("test4 done")
}
