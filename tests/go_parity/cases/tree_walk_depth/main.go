// Case tree_walk_depth: a recursive walk with per-call defers: `defer w.leave(w.enter(n))`
// tracks depth and the current path (enter now, leave at exit, also while unwinding), a
// deferred check that panics with a sentinel when a subtree's named result exceeds a limit,
// and a top-level recover that turns the sentinel into an error and re-panics anything else
// with a wrapped message (a cycle), which the caller recovers.
// Held-out style twin written from the user docs only.
package main

import (
	"errors"
	"fmt"
	"strings"
)

type Tree struct {
	size map[string]int
	kids map[string][]string
}

type Walker struct {
	tree     *Tree
	depth    int
	maxDepth int
	onPath   map[string]bool
}

type stopWalk struct {
	reason string
}

func (w *Walker) enter(name string) string {
	w.depth++
	if w.depth > w.maxDepth {
		w.maxDepth = w.depth
	}
	w.onPath[name] = true
	fmt.Printf("%s> %s\n", strings.Repeat("  ", w.depth-1), name)
	return name
}

func (w *Walker) leave(name string) {
	fmt.Printf("%s< %s\n", strings.Repeat("  ", w.depth-1), name)
	delete(w.onPath, name)
	w.depth--
}

func (w *Walker) size(name string, limit int) (total int) {
	defer w.leave(w.enter(name))
	defer func() {
		if total > limit {
			panic(stopWalk{fmt.Sprintf("%s is %d > %d", name, total, limit)})
		}
	}()
	total = w.tree.size[name]
	for _, c := range w.tree.kids[name] {
		if w.onPath[c] {
			panic(fmt.Sprintf("cycle at %s", c))
		}
		total += w.size(c, limit)
	}
	return total
}

func (w *Walker) Size(root string, limit int) (total int, err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case stopWalk:
			err = errors.New("stopped: " + r.reason)
		default:
			panic(fmt.Sprintf("walk %s: %v", root, r))
		}
	}()
	return w.size(root, limit), nil
}

func try(f func()) {
	defer func() {
		fmt.Println("recovered:", recover())
	}()
	f()
}

func main() {
	t := &Tree{
		size: map[string]int{"root": 1, "a": 2, "a1": 3, "a2": 4, "b": 5, "b1": 6},
		kids: map[string][]string{"root": {"a", "b"}, "a": {"a1", "a2"}, "b": {"b1"}},
	}
	w := &Walker{tree: t, onPath: map[string]bool{}}
	report := func() {
		fmt.Println("  depth:", w.depth, "max:", w.maxDepth, "on path:", len(w.onPath))
	}
	fmt.Println(w.Size("root", 100))
	report()
	fmt.Println(w.Size("root", 8))
	report()
	fmt.Println(w.Size("b", 8))
	report()
	t.kids["b1"] = []string{"x", "root"}
	t.size["x"] = 1
	try(func() {
		fmt.Println(w.Size("root", 100))
	})
	report()
}
