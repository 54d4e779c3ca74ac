// Case recover_zero_value: after recover, a function returns whatever its named results
// hold: the zero value when nothing was assigned, the value assigned before the panic
// otherwise; a function without results just returns. recover() when not panicking is nil.
// Idiom; recover.go test3 (recover in a deferred closure squelches), mustNotRecover.
package main

import "fmt"

func zero() (n int, s string) {
	defer func() {
		r := recover()
		fmt.Println("zero: recovered", r)
	}()
	panic("boom")
}

func assigned() (n int) {
	defer func() {
		recover()
	}()
	n = 7
	panic("after assigning 7")
}

func noResult() {
	defer func() {
		fmt.Println("noResult: recovered", recover())
	}()
	panic("in noResult")
	fmt.Println("not reached")
}

func notPanicking() (n int) {
	defer func() {
		r := recover()
		fmt.Println("notPanicking: recover() =", r, "n =", n)
	}()
	return 42
}

func main() {
	n, s := zero()
	fmt.Printf("zero() = %d %q\n", n, s)
	fmt.Println("assigned() =", assigned())
	noResult()
	fmt.Println("notPanicking() =", notPanicking())
	fmt.Println("recover() in main =", recover())
}
