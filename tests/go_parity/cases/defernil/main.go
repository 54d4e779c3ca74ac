// Case defernil: port of /usr/share/go-1.19/test/defernil.go: deferring a nil function
// panics when the deferred call is invoked, not at the defer statement (issues 8047, 34926).
// A nil func value is Rust's None::<fn()>; `defer nilf()` evaluates the function value now
// and calls it at exit, which is `defer!(move || nilf.unwrap()())`. Prints what it checked.
package main

import "fmt"

var x = 0

func main() {
	defer func() {
		err := recover()
		if err == nil {
			panic("did not panic")
		}
		if x != 1 {
			panic("FAIL")
		}
		fmt.Println("recovered the nil func call's panic, x =", x)
	}()
	f()
}

func f() {
	var nilf func()
	defer nilf()
	x = 1
}
