// Case waitgroup_done: `defer wg.Done()` on a counter passed by pointer, whichever way the
// worker exits (normal return, early return, recovered panic). The workers run one after
// another so the output is deterministic; the real goroutine form is goroutine_closure.
// Idiom (sync.WaitGroup docs).
package main

import "fmt"

type WaitGroup struct {
	pending int
	done    []int
}

func (wg *WaitGroup) Add(n int) { wg.pending += n }

func (wg *WaitGroup) Done() { wg.pending-- }

func worker(id int, wg *WaitGroup) {
	defer wg.Done()
	defer func() { wg.done = append(wg.done, id) }()
	if id%3 == 0 {
		fmt.Println("worker", id, "skips")
		return
	}
	fmt.Println("worker", id, "works")
}

func riskyWorker(id int, wg *WaitGroup) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("worker", id, "recovered:", r)
		}
	}()
	defer wg.Done()
	panic(fmt.Sprintf("worker %d failed", id))
}

func main() {
	var wg WaitGroup
	for i := 1; i <= 5; i++ {
		wg.Add(1)
		worker(i, &wg)
	}
	wg.Add(1)
	riskyWorker(6, &wg)
	fmt.Println("pending:", wg.pending, "done order:", wg.done)
}
