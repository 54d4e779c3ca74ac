// Case named_result: deferred closures read and modify named results after `return`.
// Idiom (Go blog "Defer, Panic, and Recover", rule 3: `func c() (i int) { defer func() { i++ }(); return 1 }`);
// recover.go try/try1 (closures can set output arguments).
package main

import "fmt"

func double() (x int) {
	defer func() { x *= 2 }()
	return 3
}

func c() (i int) {
	defer func() { i++ }()
	return 1
}

func order() (s string) {
	defer func() { s += " first-registered" }()
	defer func() { s += " second-registered" }()
	return "result:"
}

func branches(n int) (r int) {
	defer func() {
		if r < 0 {
			r = 0
		}
	}()
	defer func() { r += 100 }()
	if n > 10 {
		return -500
	}
	if n > 5 {
		return n * 2
	}
	return -n
}

func observe() (x int) {
	defer func() { fmt.Println("deferred sees x =", x) }()
	x = 5
	return x + 1
}

func main() {
	fmt.Println("double:", double())
	fmt.Println("c:", c())
	fmt.Println("order:", order())
	for _, n := range []int{20, 7, 3} {
		fmt.Println("branches", n, "=", branches(n))
	}
	fmt.Println("observe:", observe())
}
