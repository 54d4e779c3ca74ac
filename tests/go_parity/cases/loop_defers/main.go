// Case loop_defers: a defer inside a loop queues one call per iteration; all run at function exit.
// Idiom (Go blog "Defer, Panic, and Recover": `for i := 0; i < 4; i++ { defer fmt.Print(i) }`).
package main

import "fmt"

func count() {
	defer fmt.Println()
	for i := 0; i < 5; i++ {
		defer fmt.Print(i)
	}
	fmt.Println("loop done")
}

func countdown(n int) {
	defer fmt.Println("liftoff")
	for n > 0 {
		defer fmt.Println("T-minus", n)
		n--
	}
	fmt.Println("n is now", n)
}

func main() {
	count()
	countdown(3)
}
