// Case early_returns: defers registered before an `if err != nil { return err }` run on that
// early return; defers registered after it do not. Rust's `?` is the same exit.
// Idiom (Go error handling; DESIGN.md "every exit counts: return, ?").
package main

import (
	"errors"
	"fmt"
)

func step(name string, fail string) error {
	if name == fail {
		return errors.New(name + " failed")
	}
	fmt.Println("  step", name, "ok")
	return nil
}

func pipeline(fail string) error {
	defer fmt.Println("  cleanup 1")
	if err := step("fetch", fail); err != nil {
		return err
	}
	defer fmt.Println("  cleanup 2")
	if err := step("parse", fail); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	defer fmt.Println("  cleanup 3")
	if err := step("store", fail); err != nil {
		return err
	}
	fmt.Println("  all steps done")
	return nil
}

func main() {
	for _, fail := range []string{"none", "fetch", "parse", "store"} {
		fmt.Println("fail at", fail+":")
		err := pipeline(fail)
		fmt.Println("  err:", err)
	}
}
