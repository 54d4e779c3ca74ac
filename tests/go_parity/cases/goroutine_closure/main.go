// Case goroutine_closure: func literals with their own defers: `go func() { defer wg.Done() ... }()`
// and an immediately called `func() { defer ...; ... }()`, whose defers run when the
// literal returns, not when the enclosing function does. Rust: with_defer!(move || { .. }).
// Idiom (sync.WaitGroup docs); runtime/defer_test.go TestIssue43921 (func literal with defers).
// Goroutines write to their own slot and are joined before printing, so the output is deterministic.
package main

import (
	"fmt"
	"sync"
)

func main() {
	defer fmt.Println("main deferred")
	func() {
		defer fmt.Println("literal deferred")
		fmt.Println("literal body")
	}()
	fmt.Println("after literal")

	var wg sync.WaitGroup
	results := make([]string, 4)
	var mu sync.Mutex
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					results[i] = fmt.Sprint("recovered: ", r)
					mu.Unlock()
				}
			}()
			if i == 2 {
				panic(fmt.Sprint("worker ", i, " failed"))
			}
			mu.Lock()
			results[i] = fmt.Sprint("result ", i*10)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	for _, r := range results {
		fmt.Println(r)
	}
}
