// Case lifo_order: deferred calls run last-in first-out when the function returns.
// Idiom (Effective Go, "Defer"); runtime/defer_test.go TestConditionalDefers checks the same order.
package main

import "fmt"

func three() {
	defer fmt.Println("deferred 1")
	defer fmt.Println("deferred 2")
	defer fmt.Println("deferred 3")
	fmt.Println("body")
}

func main() {
	three()
	fmt.Println("after three")
	defer fmt.Println("main deferred a")
	defer fmt.Println("main deferred b")
	fmt.Println("main body end")
}
