// Case recover_go: port of /usr/share/go-1.19/test/recover.go test6, test6WithClosures,
// test7, test9-test12 and test111 (recover from deferred methods on receivers of various
// sizes, from big frames, and after a nested panic/recover inside the deferred call).
// test2/test4 (`defer recover()`), the reflect variants and test15/16 (reflect.MakeFunc)
// have no Rust counterpart. The checks print what they see instead of runtime.Breakpoint.
package main

import "fmt"

func mustRecoverBody(v1, v2, v3, x interface{}) {
	v := v1
	if v != nil {
		fmt.Println("spurious recover", v)
		return
	}
	v = v2
	if v == nil {
		fmt.Println("missing recover", x.(int))
		return
	}
	if v != x {
		fmt.Println("wrong value", v, x)
		return
	}

	// the value should be gone now regardless
	v = v3
	if v != nil {
		fmt.Println("recover didn't recover")
		return
	}
	fmt.Println("mustRecoverBody ok:", x)
}

func doubleRecover() interface{} {
	return recover()
}

func big(mustRecover bool) {
	var x [100000]int
	x[0] = 1
	x[99999] = 1
	_ = x

	v := recover()
	if mustRecover {
		if v == nil {
			fmt.Println("missing big recover")
		} else {
			fmt.Println("big recovered", v)
		}
	} else {
		if v != nil {
			fmt.Println("spurious big recover")
		} else {
			fmt.Println("big saw nothing")
		}
	}
}

func test6() {
	defer big(false)
	defer big(true)
	panic(6)
}

func test6WithClosures() {
	defer func() {
		var x [100000]int
		x[0] = 1
		x[99999] = 1
		_ = x
		if recover() != nil {
			fmt.Println("spurious big closure recover")
		}
	}()
	defer func() {
		var x [100000]int
		x[0] = 1
		x[99999] = 1
		_ = x
		if recover() == nil {
			fmt.Println("missing big closure recover")
		}
	}()
	panic("6WithClosures")
}

func test7inner(ok *bool) {
	// should panic, then call mustRecover 7, which stops the panic.
	// then should keep processing ordinary defers earlier than that one
	// before returning.
	// this test checks that the defer func on the next line actually runs.
	defer func() { *ok = true }()
	defer func() { mustRecoverBody(doubleRecover(), recover(), recover(), 7) }()
	panic(7)
}

func test7() {
	ok := false
	test7inner(&ok)
	if !ok {
		fmt.Println("did not run ok func")
	}
	fmt.Println("test7 ok =", ok)
}

type I interface {
	M(v1, v2, v3 interface{})
}

// pointer receiver, so no wrapper in i.M()
type T1 struct{}

func (*T1) M(v1, v2, v3 interface{}) {
	mustRecoverBody(v1, v2, v3, 9)
}

func test9() {
	var i I = &T1{}
	defer func() { i.M(doubleRecover(), recover(), recover()) }()
	panic(9)
}

// word-sized value receiver, so no wrapper in i.M()
type T2 uintptr

func (T2) M(v1, v2, v3 interface{}) {
	mustRecoverBody(v1, v2, v3, 10)
}

func test10() {
	var i I = T2(0)
	defer func() { i.M(doubleRecover(), recover(), recover()) }()
	panic(10)
}

// tiny receiver, so basic wrapper in i.M()
type T3 struct{}

func (T3) M(v1, v2, v3 interface{}) {
	mustRecoverBody(v1, v2, v3, 11)
}

func test11() {
	var i I = T3{}
	defer func() { i.M(doubleRecover(), recover(), recover()) }()
	panic(11)
}

type Tiny struct{}

func (Tiny) M(v1, v2, v3 interface{}) {
	panic(112)
}

// A panic and recover of its own inside the deferred call, while the outer panic is
// pending: the outer recover must still find 111.
func badstate() {
	defer func() {
		fmt.Println("badstate recovered", recover())
	}()
	var i I = Tiny{}
	i.M(nil, nil, nil)
}

func test111() {
	defer func() {
		badstate() // difference from T3
		mustRecoverBody(doubleRecover(), recover(), recover(), 111)
	}()
	panic(111)
}

// large receiver, so basic wrapper in i.M()
type T4 [2]string

func (T4) M(v1, v2, v3 interface{}) {
	mustRecoverBody(v1, v2, v3, 12)
}

func test12() {
	var i I = T4{}
	defer func() { i.M(doubleRecover(), recover(), recover()) }()
	panic(12)
}

func main() {
	test6()
	test6WithClosures()
	test7()
	test9()
	test10()
	test11()
	test111()
	test12()
	fmt.Println("done")
}
