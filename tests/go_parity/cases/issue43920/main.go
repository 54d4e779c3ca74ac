// Case issue43920: runtime/defer_test.go TestIssue43920: deferred functions that panic
// (`defer panic(3)`, `defer panic(5)`) inside deferred functions, each recovered at its own
// level, while the outermost panic(1) stays pending until the last deferred function
// recovers it. Func literals with their own defers are named functions, as in the Rust port.
package main

import "fmt"

func expect(n int, err interface{}) {
	if n != err {
		fmt.Printf("have %v, want %v\n", err, n)
		return
	}
	fmt.Println("expect", n, "ok")
}

func step(steps *int, want int) {
	*steps++
	if *steps != want {
		fmt.Printf("have %v, want %v\n", *steps, want)
		return
	}
	fmt.Println("step", want, "ok")
}

func d3() {
	defer func() {
		expect(5, recover())
	}()
	defer panic(5)
	func() {
		panic(4)
	}()
}

func d2() {
	defer d3()
	defer func() {
		expect(3, recover())
	}()
	defer panic(3)
}

func d1(steps *int) {
	defer step(steps, 1)
	panic(1)
}

func main() {
	var steps int

	defer func() {
		expect(1, recover())
		fmt.Println("done")
	}()
	defer d2()
	d1(&steps)
}
