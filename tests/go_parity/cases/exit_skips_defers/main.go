// Case exit_skips_defers: os.Exit ends the program at once; pending deferred calls do not
// run (Rust: std::process::exit, which fndefer lints as `exit`). Idiom (os.Exit docs:
// "deferred functions are not run").
package main

import (
	"fmt"
	"os"
)

func cleanup(name string) {
	fmt.Println("cleanup", name)
}

func run() int {
	defer cleanup("run")
	fmt.Println("run body")
	return 3
}

func main() {
	defer fmt.Println("main deferred: never printed")
	code := run()
	fmt.Println("exiting with", code)
	os.Exit(code)
}
