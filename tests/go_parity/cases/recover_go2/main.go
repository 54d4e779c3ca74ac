// Case recover_go2: port of /usr/share/go-1.19/test/recover.go test1, test1WithClosures,
// test2, test3, test5, test8, test13 and test14 (recover.go's other tests are in recover_go;
// test4, the reflect variants, test15 and test16 cannot be expressed, see COVERAGE.md).
// The checks print what they see instead of calling runtime.Breakpoint.
// Go's `defer mustRecover(x)` (recover called by the deferred helper itself) is the fndefer
// idiom `defer!(|| must_recover(recover(), x))`: the deferred code recovers, the helper
// takes the value. Helpers that recover as a sub-call call fndefer::recover(): nil/None.
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

func mustRecover(x interface{}) {
	mustRecoverBody(doubleRecover(), recover(), recover(), x)
}

func mustNotRecover() {
	v := recover()
	if v != nil {
		fmt.Println("spurious recover", v)
		return
	}
	fmt.Println("mustNotRecover ok")
}

func withoutRecover() {
	mustNotRecover() // because it's a sub-call
}

func withoutRecoverRecursive(n int) {
	if n == 0 {
		withoutRecoverRecursive(1)
	} else {
		v := recover()
		if v != nil {
			fmt.Println("spurious recover (recursive)", v)
			return
		}
		fmt.Println("withoutRecoverRecursive ok")
	}
}

func test1() {
	defer mustNotRecover()           // because mustRecover will squelch it
	defer mustRecover(1)             // because of panic below
	defer withoutRecover()           // should be no-op, leaving for mustRecover to find
	defer withoutRecoverRecursive(0) // ditto
	panic(1)
}

// Repeat test1 with closures instead of standard function.
// Interesting because recover bases its decision
// on the frame pointer of its caller, and a closure's
// frame pointer is in the middle of its actual arguments
// (after the hidden ones for the closed-over variables).
func test1WithClosures() {
	defer func() {
		v := recover()
		if v != nil {
			fmt.Println("spurious recover in closure")
			return
		}
		fmt.Println("closure saw nothing")
	}()
	defer func(x interface{}) {
		mustNotRecover()
		v := recover()
		if v == nil {
			fmt.Println("missing recover", x.(int))
			return
		}
		if v != x {
			fmt.Println("wrong value", v, x)
			return
		}
		fmt.Println("closure recovered", v)
	}(1)
	defer func() {
		mustNotRecover()
	}()
	panic(1)
}

func test2() {
	// Recover only sees the panic argument
	// if it is called from a deferred call.
	// It does not see the panic when called from a call within a deferred call (too late)
	// nor does it see the panic when it *is* the deferred call (too early).
	defer mustRecover(2)
	defer recover() // should be no-op
	panic(2)
}

func test3() {
	defer mustNotRecover()
	defer func() {
		recover() // should squelch
	}()
	panic(3)
}

// Check that closures can set output arguments.
// Run g().  If it panics, return x; else return deflt.
func try(g func(), deflt interface{}) (x interface{}) {
	defer func() {
		if v := recover(); v != nil {
			x = v
		}
	}()
	defer g()
	return deflt
}

// Check that closures can set output arguments.
// Run g().  If it panics, return x; else return deflt.
func try1(g func(), deflt interface{}) (x interface{}) {
	defer func() {
		if v := recover(); v != nil {
			x = v
		}
	}()
	defer g()
	x = deflt
	return
}

func test5() {
	v := try(func() { panic(5) }, 55).(int)
	if v != 5 {
		fmt.Println("wrong value", v, 5)
	}

	s := try(func() {}, "hi").(string)
	if s != "hi" {
		fmt.Println("wrong value", s, "hi")
	}

	v = try1(func() { panic(5) }, 55).(int)
	if v != 5 {
		fmt.Println("try1 wrong value", v, 5)
	}

	s = try1(func() {}, "hi").(string)
	if s != "hi" {
		fmt.Println("try1 wrong value", s, "hi")
	}
	fmt.Println("test5:", v, s)
}

func varargs(s *int, a ...int) {
	*s = 0
	for _, v := range a {
		*s += v
	}
	if recover() != nil {
		*s += 100
	}
}

func test8a() (r int) {
	defer varargs(&r, 1, 2, 3)
	panic(0)
}

func test8b() (r int) {
	defer varargs(&r, 4, 5, 6)
	return
}

func test8() {
	a, b := test8a(), test8b()
	if a != 106 || b != 15 {
		fmt.Println("wrong value")
	}
	fmt.Println("test8:", a, b)
}

type I interface {
	M()
}

// enormous receiver, so wrapper splits stack to call M
type T5 [8192]byte

func (T5) M() {
	mustRecoverBody(doubleRecover(), recover(), recover(), 13)
}

func test13() {
	var i I = T5{}
	defer i.M()
	panic(13)
}

// enormous receiver + enormous method frame, so wrapper splits stack to call M,
// and then M splits stack to allocate its frame.
// recover must look back two frames to find the panic.
type T6 [8192]byte

var global byte

func (T6) M() {
	var x [8192]byte
	x[0] = 1
	x[1] = 2
	for i := range x {
		global += x[i]
	}
	mustRecoverBody(doubleRecover(), recover(), recover(), 14)
}

func test14() {
	var i I = T6{}
	defer i.M()
	panic(14)
}

func main() {
	test1()
	fmt.Println("test1 done")
	test1WithClosures()
	fmt.Println("test1WithClosures done")
	test2()
	fmt.Println("test2 done")
	test3()
	fmt.Println("test3 done")
	test5()
	test8()
	test13()
	test14()
	fmt.Println("global =", global)
	fmt.Println("done")
}
