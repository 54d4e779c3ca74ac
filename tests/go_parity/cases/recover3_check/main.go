// Case recover3_check: port of /usr/share/go-1.19/test/recover3.go: check(name, f, err)
// runs f under a deferred recover and checks the run-time error. Go's nil-pointer and
// type-assertion checks have no safe-Rust counterpart; the substrings are ones both
// languages' messages contain. Prints each check's outcome instead of only "BUG".
package main

import (
	"fmt"
	"strings"
)

var didbug bool

func bug() {
	if didbug {
		return
	}
	fmt.Println("BUG")
	didbug = true
}

func check(name string, f func(), err string) {
	defer func() {
		v := recover()
		if v == nil {
			bug()
			fmt.Println(name, "did not panic")
			return
		}
		s := v.(error).Error()
		if strings.Index(s, err) < 0 {
			bug()
			fmt.Println(name, "panicked with", s, "not", err)
			return
		}
		fmt.Println(name, "ok")
	}()

	f()
}

func main() {
	var x int
	var x64 int64
	var i int

	check("int-div-zero", func() { fmt.Println(1 / x) }, "divide by zero")
	check("int64-div-zero", func() { fmt.Println(1 / x64) }, "divide by zero")

	i = 99999
	var sl []int
	p1 := new([10]int)
	check("array-bounds", func() { fmt.Println(p1[i]) }, "index out of")
	check("slice-bounds", func() { fmt.Println(sl[i]) }, "index out of")
	check("no-panic", func() { fmt.Println(p1[3]) }, "index out of")

	if didbug {
		fmt.Println("recover3 found a bug")
	}
}
