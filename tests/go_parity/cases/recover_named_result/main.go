// Case recover_named_result: recover returns the panic value and the function returns
// its named results as they were set by the deferred closure.
// Idiom (Go blog "Defer, Panic, and Recover"); recover.go try/try1 and test8a/test8b.
package main

import (
	"errors"
	"fmt"
)

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	if b == 0 {
		panic("division by zero")
	}
	q = a / b
	return q, nil
}

// Run g().  If it panics, return the panic value; else return deflt.
func try(g func(), deflt string) (x string) {
	defer func() {
		if v := recover(); v != nil {
			x = fmt.Sprint("panic: ", v)
		}
	}()
	defer g()
	return deflt
}

func varargs(s *int, a ...int) {
	*s = 0
	for _, v := range a {
		*s += v
	}
}

func test8a() (r int) {
	defer func() {
		varargs(&r, 1, 2, 3)
		if recover() != nil {
			r += 100
		}
	}()
	panic(0)
}

func test8b() (r int) {
	defer func() {
		varargs(&r, 4, 5, 6)
		if recover() != nil {
			r += 100
		}
	}()
	return
}

func main() {
	for _, b := range []int{2, 0} {
		q, err := safeDiv(10, b)
		fmt.Println("safeDiv(10,", b, ") =", q, err)
	}
	fmt.Println(try(func() { panic("five") }, "55"))
	fmt.Println(try(func() {}, "hi"))
	fmt.Println(try(func() { panic(errors.New("an error")) }, "x"))
	fmt.Println("test8a:", test8a(), "test8b:", test8b())
}
