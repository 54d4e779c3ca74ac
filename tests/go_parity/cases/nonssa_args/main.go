// Case nonssa_args: runtime/defer_test.go TestNonSSAableArgs: large array and struct
// arguments of deferred calls (function results, composite literals with side effects,
// struct fields) are evaluated exactly once, at the defer statement.
package main

import "fmt"

type nonSSAable [128]byte

type bigStruct struct {
	x, y, z, w, p, q int64
}

type containsBigStruct struct {
	element bigStruct
}

var globint1, globint2, globint3 int
var save1 byte
var save2, save3, save4 int64

func mknonSSAable() nonSSAable {
	globint1++
	return nonSSAable{0, 0, 0, 0, 5}
}

func sideeffect(n int64) int64 {
	globint2++
	return n
}

func sideeffect2(in containsBigStruct) containsBigStruct {
	globint3++
	return in
}

func setSave1(n nonSSAable) { save1 = n[4] }
func setSave2(b bigStruct)  { save2 = b.y }
func setSave3(e bigStruct)  { save3 = e.z }
func setSave4(e bigStruct)  { save4 = e.z }

func check() {
	fmt.Println("globint1:", globint1, "save1:", save1)
	fmt.Println("globint2:", globint2, "save2:", save2)
	fmt.Println("globint3:", globint3, "save3:", save3, "save4:", save4)
}

func nonSSAableArgs() {
	defer check()

	// Test function returning a non-SSAable arg
	defer setSave1(mknonSSAable())
	// Test composite literal that is not SSAable
	defer setSave2(bigStruct{1, 2, 3, 4, 5, sideeffect(6)})

	// Test struct field reference that is non-SSAable
	foo := containsBigStruct{}
	foo.element.z = 4
	defer setSave3(foo.element)
	defer setSave4(sideeffect2(foo).element)
	foo.element.z = 99
	fmt.Println("body done, foo.element.z =", foo.element.z)
}

func main() {
	nonSSAableArgs()
}
