// Case closure_counter: a deferred closure reads a counter updated after the defer
// statement; a deferred call with the counter as argument keeps its value then.
// Idiom; runtime/defer_test.go TestDeferForFuncWithNoExit (cond set after the defer).
package main

import "fmt"

func work(n int) {
	counter := 0
	defer fmt.Println("argument counter =", counter)
	defer func() {
		fmt.Println("closure counter =", counter)
	}()
	for i := 0; i < n; i++ {
		counter++
	}
	counter *= 10
	fmt.Println("body counter =", counter)
}

type stats struct {
	hits, misses int
}

func lookup(keys []string) {
	s := stats{}
	defer func() {
		fmt.Printf("hits=%d misses=%d\n", s.hits, s.misses)
	}()
	for _, k := range keys {
		if len(k) > 2 {
			s.hits++
		} else {
			s.misses++
		}
	}
}

func main() {
	work(3)
	work(0)
	lookup([]string{"alpha", "b", "gamma", "de", "epsilon"})
}
