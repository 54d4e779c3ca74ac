// Case deferfin: port of /usr/share/go-1.19/test/deferfin.go: defers do not keep alive
// what the deferred call captured. Go checks that finalizers run after GC; Rust has no
// GC or finalizers, so the finalizer is a Drop impl that counts down, and the goroutines are
// threads (defer_scope! closures). Both sides print the count of values never finalized.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var sink func()

func main() {
	N := 10
	count := int32(N)
	var wg sync.WaitGroup
	wg.Add(N)
	for i := 0; i < N; i++ {
		go func() {
			defer wg.Done()
			v := new(string)
			f := func() {
				if *v != "" {
					panic("oops")
				}
			}
			if *v != "" {
				// let the compiler think f escapes
				sink = f
			}
			runtime.SetFinalizer(v, func(p *string) {
				atomic.AddInt32(&count, -1)
			})
			defer f()
		}()
	}
	wg.Wait()
	for i := 0; i < 3; i++ {
		time.Sleep(10 * time.Millisecond)
		runtime.GC()
	}
	if count != 0 {
		fmt.Println(count, "out of", N, "finalizer are not called")
		panic("not all finalizers are called")
	}
	fmt.Println("finalizers not called:", count)
}
