// Case fake_clock_timing: timing code against a fake clock so the output is deterministic:
// `defer timeTrack(clock.Now(), name)` (start evaluated at the defer), `defer un(trace(..))`
// with a multi-value trace, a prometheus-style `timer := NewTimer(h); defer
// timer.ObserveDuration()`, a closure setting the named result from clock.Since at exit next to
// the classic eager mistake, and a timed step that panics (its timing still recorded).
// Held-out style twin written from the user docs only.
package main

import (
	"fmt"
	"sort"
)

type Clock struct {
	now int
}

func (c *Clock) Now() int        { return c.now }
func (c *Clock) Since(t int) int { return c.now - t }
func (c *Clock) Sleep(ms int)    { c.now += ms }

var clock = &Clock{now: 1000}

type Histogram struct {
	name string
	obs  []int
}

func (h *Histogram) Observe(ms int) {
	h.obs = append(h.obs, ms)
}

type Timer struct {
	h     *Histogram
	start int
}

func NewTimer(h *Histogram) *Timer {
	return &Timer{h: h, start: clock.Now()}
}

func (t *Timer) ObserveDuration() {
	t.h.Observe(clock.Since(t.start))
}

func timeTrack(start int, name string) {
	fmt.Printf("  %s took %dms\n", name, clock.Since(start))
}

func trace(name string) (string, int) {
	fmt.Println("enter", name, "at", clock.Now())
	return name, clock.Now()
}

func un(name string, start int) {
	fmt.Println("leave", name, "after", clock.Since(start), "ms")
}

func step(name string, ms int) {
	defer timeTrack(clock.Now(), name)
	clock.Sleep(ms)
	if name == "flaky" {
		panic("flaky step failed after " + fmt.Sprint(ms) + "ms")
	}
}

func safeStep(name string, ms int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	step(name, ms)
	return nil
}

func pipeline(h *Histogram, steps []string) (elapsed int) {
	defer un(trace("pipeline"))
	timer := NewTimer(h)
	defer timer.ObserveDuration()
	start := clock.Now()
	defer func() {
		elapsed = clock.Since(start)
	}()
	defer fmt.Println("eager: pipeline took", clock.Since(start), "ms")
	for i, s := range steps {
		if err := safeStep(s, 10*(i+1)); err != nil {
			fmt.Println("  step error:", err)
		}
	}
	clock.Sleep(1)
	return -1
}

func main() {
	h := &Histogram{name: "pipeline_ms"}
	fmt.Println("elapsed", pipeline(h, []string{"fetch", "parse", "store"}))
	fmt.Println("elapsed", pipeline(h, []string{"fetch", "flaky", "store", "index"}))
	obs := append([]int(nil), h.obs...)
	sort.Ints(obs)
	fmt.Println(h.name, obs, "now", clock.Now())
}
