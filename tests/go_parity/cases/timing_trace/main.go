// Case timing_trace: `start := time.Now(); defer func() { log(time.Since(start)) }()` measures
// at exit, while `defer log(time.Since(start))` measures at the defer statement; the
// `defer trace("name")()` idiom calls trace now and the returned func at exit.
// Idiom (Go blog "Defer, Panic, and Recover"; Go Programming Language 5.8 `defer trace(..)()`).
// Durations are not printed, only facts about them, so the output is deterministic.
package main

import (
	"fmt"
	"time"
)

func trace(name string) func() {
	fmt.Println("enter", name)
	return func() { fmt.Println("exit", name) }
}

func report(label string, d time.Duration) {
	fmt.Println(label, "measured at least 20ms:", d >= 20*time.Millisecond)
}

func slow() {
	defer trace("slow")()
	start := time.Now()
	defer func() { report("closure", time.Since(start)) }()
	defer report("argument", time.Since(start))
	time.Sleep(25 * time.Millisecond)
	fmt.Println("slow body done")
}

func main() {
	slow()
}
