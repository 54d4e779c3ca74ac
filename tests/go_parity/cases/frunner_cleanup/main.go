// Case frunner_cleanup: port of fRunner from Go 1.19 src/testing/fuzz.go and
// (*common).runCleanup from src/testing/testing.go (golang/go, go1.19.8;
// /usr/share/go-1.19/src/testing/). fRunner's first defer is a function literal with a defer
// of its own (`defer func() { if !didPanic { f.signal <- true } }()`) whose recover() stops
// the fuzz test's panic (or a cleanup's) and whose doPanic panics again; runCleanup has the
// named result panicVal, set by a conditional deferred recover, and a deferred literal that
// calls runCleanup again so that a panicking cleanup does not skip the others.
// Adapted to run standalone: F and common keep the fields these functions use (no parent,
// no subtests, no durations); Fuzz runs the target on two seeds; Error, Logf, Fail, Failed,
// Cleanup, setRan and report are cut down (report prints PASS or FAIL and the log), and the
// loop of doPanic that flushes the output up to the root is one flushToParent of f itself;
// main runs fRunner on a few fuzz tests and prints what happens.
package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

var numFailed uint32 // number of test failures

var errNilPanicOrGoexit = errors.New("test executed panic(nil) or runtime.Goexit")

type panicHandling int

const (
	normalPanic panicHandling = iota
	recoverAndReturnPanic
)

type common struct {
	mu       sync.RWMutex
	output   []string
	failed   bool
	skipped  bool
	finished bool
	done     bool
	ran      bool
	cleanups []func()
	name     string
	sub      []*common
	signal   chan bool
}

type F struct {
	common
	fuzzCalled bool
}

func (c *common) Fail() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed = true
}

func (c *common) Failed() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.failed
}

func (c *common) Logf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.output = append(c.output, fmt.Sprintf(format, args...))
}

func (c *common) Error(args ...any) {
	c.Logf("%s", fmt.Sprintln(args...))
	c.Fail()
}

func (c *common) Cleanup(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanups = append(c.cleanups, f)
}

func (c *common) setRan() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ran = true
}

func (c *common) flushToParent(testName, format string, args ...any) {
	fmt.Printf(format, args...)
	for _, line := range c.output {
		fmt.Printf("    %s", line)
		if line[len(line)-1] != '\n' {
			fmt.Println()
		}
	}
	c.output = nil
}

func (f *F) Fuzz(ff func(s string)) {
	f.fuzzCalled = true
	for _, seed := range []string{"seed1", "seed2"} {
		ff(seed)
	}
}

func (f *F) report() {
	format := "--- %s: %s\n"
	if f.Failed() {
		f.flushToParent(f.name, format, "FAIL", f.name)
	} else {
		f.flushToParent(f.name, format, "PASS", f.name)
	}
}

// runCleanup is called at the end of the test.
// If catchPanic is true, this will catch panics, and return the recovered
// value if any.
func (c *common) runCleanup(ph panicHandling) (panicVal any) {
	if ph == recoverAndReturnPanic {
		defer func() {
			panicVal = recover()
		}()
	}

	// Make sure that if a cleanup function panics,
	// we still run the remaining cleanup functions.
	defer func() {
		c.mu.Lock()
		recur := len(c.cleanups) > 0
		c.mu.Unlock()
		if recur {
			c.runCleanup(normalPanic)
		}
	}()

	for {
		var cleanup func()
		c.mu.Lock()
		if len(c.cleanups) > 0 {
			last := len(c.cleanups) - 1
			cleanup = c.cleanups[last]
			c.cleanups = c.cleanups[:last]
		}
		c.mu.Unlock()
		if cleanup == nil {
			return nil
		}
		cleanup()
	}
}

// fRunner wraps a call to a fuzz test and ensures that cleanup functions are
// called and status flags are set. fRunner should be called in its own
// goroutine. To wait for its completion, receive from f.signal.
func fRunner(f *F, fn func(*F)) {
	// When this goroutine is done, either because runtime.Goexit was called, a
	// panic started, or fn returned normally, record the duration and send
	// t.signal, indicating the fuzz test is done.
	defer func() {
		// Detect whether the fuzz test panicked or called runtime.Goexit
		// without calling F.Fuzz, F.Fail, or F.Skip. If it did, panic (possibly
		// replacing a nil panic value). Nothing should recover after fRunner
		// unwinds, so this should crash the process and print stack.
		// Unfortunately, recovering here adds stack frames, but the location of
		// the original panic should still be
		// clear.
		if f.Failed() {
			atomic.AddUint32(&numFailed, 1)
		}
		err := recover()
		if err == nil {
			f.mu.RLock()
			fuzzNotCalled := !f.fuzzCalled && !f.skipped && !f.failed
			if !f.finished && !f.skipped && !f.failed {
				err = errNilPanicOrGoexit
			}
			f.mu.RUnlock()
			if fuzzNotCalled && err == nil {
				f.Error("returned without calling F.Fuzz, F.Fail, or F.Skip")
			}
		}

		// Use a deferred call to ensure that we report that the test is
		// complete even if a cleanup function calls F.FailNow. See issue 41355.
		didPanic := false
		defer func() {
			if !didPanic {
				// Only report that the test is complete if it doesn't panic,
				// as otherwise the test binary can exit before the panic is
				// reported to the user. See issue 41479.
				f.signal <- true
			}
		}()

		// If we recovered a panic or inappropriate runtime.Goexit, fail the test,
		// flush the output log up to the root, then panic.
		doPanic := func(err any) {
			f.Fail()
			if r := f.runCleanup(recoverAndReturnPanic); r != nil {
				f.Logf("cleanup panicked with %v", r)
			}
			f.flushToParent(f.name, "--- FAIL: %s\n", f.name)
			didPanic = true
			panic(err)
		}
		if err != nil {
			doPanic(err)
		}

		// Report after all subtests have finished.
		f.report()
		f.done = true
		f.setRan()
	}()
	defer func() {
		if len(f.sub) == 0 {
			f.runCleanup(normalPanic)
		}
	}()

	fn(f)

	// Code beyond this point will not be executed when FailNow or SkipNow
	// is invoked.
	f.mu.Lock()
	f.finished = true
	f.mu.Unlock()
}

func run(name string, fn func(*F)) {
	f := &F{common: common{name: name, signal: make(chan bool, 1)}}
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: fRunner panicked: %v (signals=%d done=%v numFailed=%d)\n", name, r, len(f.signal), f.done, atomic.LoadUint32(&numFailed))
		}
	}()
	fRunner(f, fn)
	fmt.Printf("%s: fRunner returned (signal=%v done=%v ran=%v numFailed=%d)\n", name, <-f.signal, f.done, f.ran, atomic.LoadUint32(&numFailed))
}

func main() {
	run("FuzzOK", func(f *F) {
		f.Cleanup(func() { fmt.Println("  cleanup: remove corpus dir") })
		f.Fuzz(func(s string) { fmt.Println("  fuzz", s) })
	})
	run("FuzzNoFuzz", func(f *F) {
		f.Cleanup(func() { fmt.Println("  cleanup: close db") })
		f.Logf("set up without fuzzing")
	})
	run("FuzzFail", func(f *F) {
		f.Logf("bad corpus")
		f.Fail()
	})
	run("FuzzPanics", func(f *F) {
		f.Cleanup(func() { fmt.Println("  cleanup: stop server") })
		f.Logf("about to panic")
		panic("fuzz target exploded")
	})
	run("FuzzCleanupPanics", func(f *F) {
		f.Cleanup(func() { fmt.Println("  cleanup A") })
		f.Cleanup(func() { panic("cleanup B failed") })
		f.Cleanup(func() { fmt.Println("  cleanup C") })
		f.Fuzz(func(s string) { fmt.Println("  fuzz", s) })
	})
	run("FuzzBothPanic", func(f *F) {
		f.Cleanup(func() { fmt.Println("  cleanup A") })
		f.Cleanup(func() { panic("cleanup B failed too") })
		panic("fuzz target exploded again")
	})
}
