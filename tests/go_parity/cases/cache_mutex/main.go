// Case cache_mutex: a mutex-protected memoizing cache: `mu.Lock(); defer mu.Unlock()` written
// first, a deferred audit closure that runs under the lock and reads the named result, a
// loader that panics (the lock is still released), and callers from several goroutines.
// Held-out style twin written from the user docs only.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

type Cache struct {
	mu     sync.Mutex
	data   map[string]int
	hits   int
	misses int
	log    []string
}

func NewCache() *Cache {
	return &Cache{data: map[string]int{}}
}

func (c *Cache) Get(key string, load func(string) int) (v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer func() {
		c.log = append(c.log, fmt.Sprintf("get %s=%d", key, v))
	}()
	if cached, ok := c.data[key]; ok {
		c.hits++
		return cached
	}
	c.misses++
	v = load(key)
	c.data[key] = v
	return v
}

func (c *Cache) Stats() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("entries=%d hits=%d misses=%d", len(c.data), c.hits, c.misses)
}

func (c *Cache) Log() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]string(nil), c.log...)
	sort.Strings(out)
	return out
}

func safeGet(c *Cache, key string, load func(string) int) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("load %s: %v", key, r)
		}
	}()
	return c.Get(key, load), nil
}

func length(key string) int {
	if strings.HasPrefix(key, "bad") {
		panic("cannot load " + key)
	}
	return len(key)
}

func main() {
	c := NewCache()
	for _, k := range []string{"alpha", "be", "alpha", "bad1", "be", "gamma"} {
		v, err := safeGet(c, k, length)
		fmt.Println(k, v, err)
	}
	fmt.Println(c.Stats())

	var wg sync.WaitGroup
	keys := []string{"x", "yy", "zzz", "bad2", "x", "yy"}
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			for j := worker; j < len(keys); j += 3 {
				if j != 3 {
					c.Get(keys[j], length)
				}
			}
		}(i)
	}
	wg.Wait()
	// The misses depend on the interleaving only through which goroutine loads first.
	fmt.Println(c.Stats())
	for _, line := range c.Log() {
		fmt.Println(" ", line)
	}
}
