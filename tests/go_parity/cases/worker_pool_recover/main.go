// Case worker_pool_recover: a goroutine worker pool: jobs and results channels, each worker
// `defer wg.Done()` plus a deferred counter and a worker-level recover for a poison pill, each
// job run in a function whose deferred recover turns a panic into an error in its named
// result, and a closer goroutine `defer close(results); wg.Wait()`. Results are sorted.
// Held-out style twin written from the user docs only.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

type Job struct {
	ID    int
	Input string
}

type Result struct {
	JobID  int
	Output string
	Err    error
}

func process(j Job) string {
	if j.Input == "" {
		panic("empty input")
	}
	if strings.HasPrefix(j.Input, "!") {
		panic(fmt.Errorf("bad directive %s", j.Input))
	}
	return strings.ToUpper(j.Input)
}

func runJob(j Job) (res Result) {
	res = Result{JobID: j.ID}
	defer func() {
		if r := recover(); r != nil {
			res.Err = fmt.Errorf("job %d: %v", j.ID, r)
		}
	}()
	res.Output = process(j)
	return res
}

func worker(jobs <-chan Job, results chan<- Result, wg *sync.WaitGroup, finished, stopped *int64) {
	defer wg.Done()
	defer atomic.AddInt64(finished, 1)
	defer func() {
		if r := recover(); r != nil {
			atomic.AddInt64(stopped, 1)
		}
	}()
	for j := range jobs {
		if j.ID < 0 {
			panic("poison pill")
		}
		results <- runJob(j)
	}
}

func main() {
	inputs := []string{"alpha", "", "beta", "!drop", "gamma", "delta", "", "epsilon"}
	jobs := make(chan Job)
	results := make(chan Result)
	var wg sync.WaitGroup
	var finished, stopped int64
	for w := 1; w <= 4; w++ {
		wg.Add(1)
		go worker(jobs, results, &wg, &finished, &stopped)
	}
	go func() {
		defer close(jobs)
		for i, in := range inputs {
			jobs <- Job{ID: i + 1, Input: in}
			if i == 3 {
				jobs <- Job{ID: -1}
			}
		}
	}()
	go func() {
		defer close(results)
		wg.Wait()
	}()
	var all []Result
	for r := range results {
		all = append(all, r)
	}
	sort.Slice(all, func(a, b int) bool { return all[a].JobID < all[b].JobID })
	for _, r := range all {
		fmt.Printf("job %d: %q err=%v\n", r.JobID, r.Output, r.Err)
	}
	fmt.Println("results:", len(all), "finished:", atomic.LoadInt64(&finished), "stopped:", atomic.LoadInt64(&stopped))
}
