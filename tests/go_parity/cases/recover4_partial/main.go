// Case recover4_partial: port of /usr/share/go-1.19/test/recover4.go: when a copy loop
// faults, the deferred recover sees the most recent value of n and memcopy returns it.
// Go's test faults on an mprotect'ed page; here the fault is an index out of range
// (dst shorter than src), which both languages turn into a recoverable panic.
package main

import "fmt"

func memcopy(dst, src []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("memcopy faulted")
		}
	}()

	for i := 0; i < len(src); i++ {
		dst[i] = src[i]
		n++
	}
	return
}

func main() {
	data := make([]byte, 64)
	const offset = 5
	src := make([]byte, len(data))
	for i := range src {
		src[i] = byte(i)
	}
	n, err := memcopy(data[offset:], src)
	if err == nil {
		fmt.Println("no error from memcopy across the end")
	}
	if expect := len(data) - offset; n != expect {
		fmt.Printf("memcopy returned %d, want %d\n", n, expect)
	}
	fmt.Println("n =", n, "err =", err, "last =", data[len(data)-1])
	n, err = memcopy(data, src[:10])
	fmt.Println("n =", n, "err =", err)
}
