// Case nested_outer_panics: nested calls where only the outer function panics: the inner
// functions' defers run when they return normally, the outer's defers run while panicking,
// and the caller's recover gets the value. runtime/defer_test.go TestOpenAndNonOpenDefers,
// TestNonOpenAndOpenDefers (an open-coded and a loop defer in the same panic).
package main

import "fmt"

var glob int = 3

func leaf(n int) int {
	defer fmt.Println("  leaf", n, "deferred")
	return n * 2
}

func testOpen(arg int) {
	defer func(n int) {
		fmt.Println("  testOpen deferred", n, "recover:", recover())
	}(4)
	if arg > 2 {
		panic("testOpenDefer")
	}
}

func outer() {
	for {
		// Non-open defer because in a loop
		defer func(n int) {
			fmt.Println("  outer loop deferred", n, "recover:", recover())
		}(3)
		if glob > 2 {
			break
		}
	}
	defer fmt.Println("  outer deferred, leaf(2) =", leaf(2))
	testOpen(47)
	fmt.Println("  outer after testOpen, leaf(1) =", leaf(1))
	panic("testNonOpenDefer")
}

func main() {
	fmt.Println("calling outer")
	outer()
	fmt.Println("outer returned normally")
}
