// Case issue43921: runtime/defer_test.go TestIssue43921 (and TestIssue43920's first part):
// a panic inside a deferred function that recovers it itself must not disturb the outer
// panic, which the caller's deferred function then recovers. Func literals with their own
// defers are named functions here, as in the Rust port.
package main

import "fmt"

func expect(n int, err interface{}) {
	if n != err {
		fmt.Printf("have %v, want %v\n", err, n)
		return
	}
	fmt.Println("expect", n, "ok")
}

func panicsAndRecovers4() {
	defer func() {
		expect(4, recover())
	}()
	panic(4)
}

func inner() {
	// Prevent open-coded defers
	for {
		defer func() {}()
		break
	}

	defer panicsAndRecovers4()
	panic(1)
}

func main() {
	defer func() {
		expect(1, recover())
		fmt.Println("done")
	}()
	inner()
}
