// Case nested_literals: function literals have their own deferred calls, also when
// the literal is itself deferred, and a literal's recover stops only the literal's panic.
// Go test/defer.go (deferred closures) and recover.go (func-literal cases).
package main

import "fmt"

func f() (r int) {
	defer func() {
		defer fmt.Println("literal deferred")
		defer func() {
			if p := recover(); p != nil {
				fmt.Println("literal recovered:", p)
			}
		}()
		fmt.Println("deferred literal body")
		panic("in literal")
	}()
	fmt.Println("f body")
	return 3
}

func g() {
	defer fmt.Println("g deferred")
	for i := 0; i < 2; i++ {
		func() {
			defer fmt.Println("iteration", i, "cleaned up")
			fmt.Println("iteration", i, "body")
		}()
	}
	fmt.Println("g body end")
}

func main() {
	fmt.Println("f =", f())
	g()
	func() {
		defer fmt.Println("immediate literal deferred")
		fmt.Println("immediate literal body")
	}()
	fmt.Println("done")
}
