// Case plugin_literals: nested function literals with their own defers: each plugin is
// initialised inside an immediately called `func() (score int) { defer ..; defer func() {
// recover ..}() }()` that skips optional failures through its named result and re-panics
// fatal ones with a wrapped message; the outer recover keeps the partial named result and sets
// err; a deferred literal that defers its own literal.
// Held-out style twin written from the user docs only.
package main

import (
	"fmt"
	"strings"
)

type Plugin struct {
	name string
	init func() int
}

func loadAll(plugins []Plugin) (loaded []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("loadAll: %v", r)
		}
	}()
	total := 0
	for _, p := range plugins {
		p := p
		n := func() (score int) {
			fmt.Println("  init", p.name)
			defer fmt.Println("  done", p.name)
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				msg := fmt.Sprint(r)
				if strings.HasPrefix(msg, "optional:") {
					fmt.Println("  skip", p.name, "-", msg)
					score = -1
					return
				}
				panic(fmt.Sprintf("plugin %s: %v", p.name, r))
			}()
			return p.init()
		}()
		if n < 0 {
			continue
		}
		total += n
		loaded = append(loaded, fmt.Sprintf("%s(%d)", p.name, n))
	}
	defer func() {
		defer func() {
			fmt.Println("  inner deferred literal, total", total)
		}()
		fmt.Println("  outer deferred literal, total", total)
		total = 0
	}()
	fmt.Println("  all plugins loaded, total", total)
	return loaded, nil
}

func ok(n int) func() int {
	return func() int { return n }
}

func fail(msg string) func() int {
	return func() int { panic(msg) }
}

func main() {
	sets := [][]Plugin{
		{{"auth", ok(3)}, {"cache", fail("optional: no redis")}, {"metrics", ok(4)}},
		{{"auth", ok(3)}, {"db", fail("connection refused")}, {"never", ok(9)}},
	}
	for i, set := range sets {
		fmt.Println("set", i)
		loaded, err := loadAll(set)
		fmt.Println("loaded:", loaded, "err:", err)
	}
}
