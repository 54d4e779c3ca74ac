// Case unrecovered_panic: an unrecovered panic still runs every pending deferred call, in
// every frame, innermost first, and then the program exits with a failure status
// (Go: 2, Rust: 101). runtime/defer_test.go TestUnconditionalPanic without the recover.
package main

import "fmt"

func inner() {
	defer fmt.Println("inner deferred 2")
	defer fmt.Println("inner deferred 1")
	fmt.Println("inner about to panic")
	panic("unrecovered")
}

func outer() {
	defer fmt.Println("outer deferred")
	inner()
	fmt.Println("outer: not reached")
}

func main() {
	defer fmt.Println("main deferred")
	fmt.Println("main start")
	outer()
	fmt.Println("main: not reached")
}
