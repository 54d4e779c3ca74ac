// Case recover2_runtime: port of /usr/share/go-1.19/test/recover2.go test1, test2, test3,
// test7: recover from run-time errors (index out of range, slice bounds, divide by zero).
// The Go and Rust messages differ, so the check looks for a substring both contain and
// prints the outcome. test4-test6 (interface conversion, uncomparable and unhashable types)
// have no Rust run-time counterpart.
package main

import (
	"fmt"
	"strings"
)

var x = make([]byte, 10)

func mustRecover(name string, v interface{}, s string) {
	if v == nil {
		panic("expected panic")
	}
	if e := v.(error).Error(); strings.Index(e, s) < 0 {
		panic("want: " + s + "; have: " + e)
	}
	fmt.Println(name, "recovered a run-time error containing", s)
}

func test1() {
	defer func() { mustRecover("test1", recover(), "index") }()
	i := 123
	fmt.Println(x[i])
}

func test2() {
	defer func() { mustRecover("test2", recover(), "slice") }()
	hi := 15
	fmt.Println(x[5:hi])
}

func test3() {
	defer func() { mustRecover("test3", recover(), "slice") }()
	var lo = 11
	var hi = 9
	fmt.Println(x[lo:hi])
}

func test7() {
	defer func() { mustRecover("test7", recover(), "divide by zero") }()
	var x, y int
	fmt.Println(x / y)
}

func main() {
	test1()
	test2()
	test3()
	test7()
}
