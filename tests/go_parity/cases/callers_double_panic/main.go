// Case callers_double_panic: port of TestCallersDoublePanic from Go 1.19
// src/runtime/callers_test.go (golang/go, go1.19.8; /usr/share/go-1.19/src/runtime/callers_test.go).
// The deferred function literal has a deferred literal of its own: the outer literal's
// recover() stops the test's panic(1), it then panics(2), and its own deferred literal's
// recover() stops that one, so the test returns normally.
// Adapted to run standalone: *testing.T is a struct whose Fatal prints; the
// runtime.Callers/testCallersEqual stack check (which needs the test binary's frame names)
// prints the recovered values instead; main runs the test and prints PASS or the panic that
// escapes.
package main

import "fmt"

type T struct{ name string }

func (t *T) Fatal(args ...any) { fmt.Println(append([]any{"  " + t.name + ": FATAL:"}, args...)...) }

func TestCallersDoublePanic(t *T) {
	defer func() {
		defer func() {
			r := recover()
			fmt.Println("  inner literal recovered", r)
			if r == nil {
				t.Fatal("did not panic")
			}
		}()
		r := recover()
		fmt.Println("  outer literal recovered", r)
		if r == nil {
			t.Fatal("did not panic")
		}
		panic(2)
	}()
	panic(1)
}

func run(name string, test func(*T)) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(name+": panic:", r)
		}
	}()
	fmt.Println(name + ":")
	test(&T{name})
	fmt.Println(name + ": PASS")
}

func main() {
	run("TestCallersDoublePanic", TestCallersDoublePanic)
}
