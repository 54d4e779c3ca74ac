// Case args_eval: arguments of a deferred call are evaluated at the defer statement,
// a deferred closure reads variables as they are at exit.
// Idiom (Go blog "Defer, Panic, and Recover", rule 1); runtime/defer_test.go TestNonSSAableArgs.
package main

import "fmt"

var calls int

func next() int {
	calls++
	return calls * 10
}

func show(label string, v int) {
	fmt.Println(label, v)
}

func a() {
	i := 0
	defer fmt.Println("deferred Println sees i =", i)
	defer show("deferred show sees i =", i)
	defer show("deferred next() =", next())
	defer func(v int) { fmt.Println("deferred closure arg v =", v) }(i)
	defer func() { fmt.Println("deferred closure sees i =", i) }()
	i++
	i += 5
	fmt.Println("body: i =", i, "calls =", calls)
}

func main() {
	a()
	fmt.Println("calls after a =", calls)
}
