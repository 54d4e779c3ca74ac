// Case nested_blocks: a defer inside an if/for/switch block runs when the function
// returns, not when the block ends; a defer on a path not taken never runs.
// Idiom; runtime/defer_test.go TestConditionalDefers and TestDisappearingDefer.
package main

import "fmt"

var list []int

func doappend(i int) {
	list = append(list, i)
}

func testConditionalDefers(n int) {
	defer doappend(1)
	if n > 5 {
		defer doappend(2)
		if n > 8 {
			defer doappend(3)
		} else {
			defer doappend(4)
		}
	}
	fmt.Println("testConditionalDefers body", n)
}

func blocks(mode string) {
	{
		defer fmt.Println("deferred in bare block")
		fmt.Println("end of bare block")
	}
	if mode == "if" {
		defer fmt.Println("deferred in if")
		fmt.Println("end of if block")
	}
	for i := 0; i < 2; i++ {
		if i == 1 {
			defer fmt.Println("deferred in loop at i =", i)
		}
		fmt.Println("end of iteration", i)
	}
	switch mode {
	case "never":
		defer fmt.Println("defer shouldn't run")
	default:
		defer fmt.Println("deferred in switch default")
	}
	fmt.Println("end of function", mode)
}

func main() {
	for _, n := range []int{8, 9, 3} {
		list = nil
		testConditionalDefers(n)
		fmt.Println(n, list)
	}
	blocks("if")
	blocks("else")
}
