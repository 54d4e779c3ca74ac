// Case many_defers: 200000 defers queued in a loop all run, in reverse order, and sum
// correctly; a named result accumulates through loop defers.
// defer.go (loop defers) scaled up; runtime/defer_test.go TestIssue37688 (heap-allocated defers).
package main

import "fmt"

var sum int64
var last int64 = -1
var outOfOrder int

func add(i int64) {
	if last != -1 && i != last-1 {
		outOfOrder++
	}
	last = i
	sum += i
}

func many(n int64) {
	for i := int64(0); i < n; i++ {
		defer add(i)
	}
}

func total(n int) (t int) {
	for i := 1; i <= n; i++ {
		defer func(i int) { t += i }(i)
	}
	return 0
}

func main() {
	many(200000)
	fmt.Println("sum:", sum, "last:", last, "out of order:", outOfOrder)
	fmt.Println("total(1000):", total(1000))
}
