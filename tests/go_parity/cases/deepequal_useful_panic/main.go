// Case deepequal_useful_panic: port of unexportedTypePanic, makeUsefulPanic,
// Equalities.deepValueEqual, DeepEqual and deepEqual from kubernetes/apimachinery
// third_party/forked/golang/reflect/deep_equal.go (commit eed236ceee2c19c2753a3d93ac0631dc20750454,
// built here with Go 1.19.8). Every level of the recursive deepValueEqual runs
// `defer makeUsefulPanic(v1)`, a handler that calls recover() itself, prepends its type to an
// unexportedTypePanic and panics again, so the panic that leaves DeepEqual names the whole
// path to the unexported field; any other panic goes on unchanged.
// Adapted to run standalone: deepValueEqual keeps the Slice, Ptr, Struct and default cases
// (the Array, Interface, Map and Func cases and the visited-pointer check are left out);
// AddFunc keeps only the map insertion; main compares a few values and prints the result or
// the panic.
package main

import (
	"fmt"
	"reflect"
	"strings"
)

// Equalities is a map from type to a function comparing two values of
// that type.
type Equalities map[reflect.Type]reflect.Value

// For convenience, panics on errors
func EqualitiesOrDie(funcs ...interface{}) Equalities {
	e := Equalities{}
	for _, f := range funcs {
		fv := reflect.ValueOf(f)
		e[fv.Type().In(0)] = fv
	}
	return e
}

// unexportedTypePanic is thrown when you use this DeepEqual on something that has an
// unexported type. It indicates a programmer error, so should not occur at runtime,
// which is why it's not public and thus impossible to catch.
type unexportedTypePanic []reflect.Type

func (u unexportedTypePanic) Error() string { return u.String() }
func (u unexportedTypePanic) String() string {
	strs := make([]string, len(u))
	for i, t := range u {
		strs[i] = fmt.Sprintf("%v", t)
	}
	return "an unexported field was encountered, nested like this: " + strings.Join(strs, " -> ")
}

func makeUsefulPanic(v reflect.Value) {
	if x := recover(); x != nil {
		if u, ok := x.(unexportedTypePanic); ok {
			u = append(unexportedTypePanic{v.Type()}, u...)
			x = u
		}
		panic(x)
	}
}

// Tests for deep equality using reflected types. The map argument tracks
// comparisons that have already been seen, which allows short circuiting on
// recursive types.
// equateNilAndEmpty controls whether empty maps/slices are equivalent to nil
func (e Equalities) deepValueEqual(v1, v2 reflect.Value, equateNilAndEmpty bool, depth int) bool {
	defer makeUsefulPanic(v1)

	if !v1.IsValid() || !v2.IsValid() {
		return v1.IsValid() == v2.IsValid()
	}
	if v1.Type() != v2.Type() {
		return false
	}
	if fv, ok := e[v1.Type()]; ok {
		return fv.Call([]reflect.Value{v1, v2})[0].Bool()
	}

	switch v1.Kind() {
	case reflect.Slice:
		if equateNilAndEmpty {
			if (v1.IsNil() || v1.Len() == 0) != (v2.IsNil() || v2.Len() == 0) {
				return false
			}

			if v1.IsNil() || v1.Len() == 0 {
				return true
			}
		} else {
			if v1.IsNil() != v2.IsNil() {
				return false
			}

			// Optimize nil and empty cases
			// Two lists that are BOTH nil are equal
			// No need to check v2 is nil since v1.IsNil == v2.IsNil from above
			if v1.IsNil() {
				return true
			}

			// Two lists that are both empty and both non nil are equal
			if v1.Len() == 0 && v2.Len() == 0 {
				return true
			}
		}
		if v1.Len() != v2.Len() {
			return false
		}
		for i := 0; i < v1.Len(); i++ {
			if !e.deepValueEqual(v1.Index(i), v2.Index(i), equateNilAndEmpty, depth+1) {
				return false
			}
		}
		return true
	case reflect.Ptr:
		return e.deepValueEqual(v1.Elem(), v2.Elem(), equateNilAndEmpty, depth+1)
	case reflect.Struct:
		for i, n := 0, v1.NumField(); i < n; i++ {
			if !e.deepValueEqual(v1.Field(i), v2.Field(i), equateNilAndEmpty, depth+1) {
				return false
			}
		}
		return true
	default:
		// Normal equality suffices
		if !v1.CanInterface() || !v2.CanInterface() {
			panic(unexportedTypePanic{})
		}
		return v1.Interface() == v2.Interface()
	}
}

// DeepEqual is like reflect.DeepEqual, but focused on semantic equality
// instead of memory equality.
//
// It will use e's equality functions if it finds types that match.
//
// An empty slice *is* equal to a nil slice for our purposes; same for maps.
//
// Unexported field members cannot be compared and will cause an informative panic; you must add an Equality
// function for these types.
func (e Equalities) DeepEqual(a1, a2 interface{}) bool {
	return e.deepEqual(a1, a2, true)
}

func (e Equalities) DeepEqualWithNilDifferentFromEmpty(a1, a2 interface{}) bool {
	return e.deepEqual(a1, a2, false)
}

func (e Equalities) deepEqual(a1, a2 interface{}, equateNilAndEmpty bool) bool {
	if a1 == nil || a2 == nil {
		return a1 == a2
	}
	v1 := reflect.ValueOf(a1)
	v2 := reflect.ValueOf(a2)
	if v1.Type() != v2.Type() {
		return false
	}
	return e.deepValueEqual(v1, v2, equateNilAndEmpty, 0)
}

type Inner struct {
	Name string
	id   int
}

type Outer struct {
	Label string
	Items []Inner
}

type Wrapper struct {
	Ptr *Outer
}

func try(name string, f func() bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panic: %v\n", name, r)
		}
	}()
	fmt.Printf("%s: %v\n", name, f())
}

func main() {
	none := Equalities{}
	byName := EqualitiesOrDie(func(a, b Inner) bool { return a.Name == b.Name })
	strict := EqualitiesOrDie(func(a, b Inner) bool { panic("no Inner comparisons here") })

	x := Wrapper{&Outer{"a", []Inner{{"x", 1}}}}
	y := Wrapper{&Outer{"a", []Inner{{"x", 2}}}}
	z := Wrapper{&Outer{"b", []Inner{{"x", 1}}}}
	empty := Outer{"a", []Inner{}}
	nilItems := Outer{"a", nil}

	try("labels differ", func() bool { return none.DeepEqual(x, z) })
	try("unexported field", func() bool { return none.DeepEqual(x, y) })
	try("slice of unexported", func() bool { return none.DeepEqual([]Inner{{"x", 1}}, []Inner{{"x", 1}}) })
	try("by name", func() bool { return byName.DeepEqual(x, y) })
	try("equality func panics", func() bool { return strict.DeepEqual(x, y) })
	try("nil and empty", func() bool { return none.DeepEqual(empty, nilItems) })
	try("nil different from empty", func() bool { return none.DeepEqualWithNilDifferentFromEmpty(empty, nilItems) })
	try("nil pointer", func() bool { return none.DeepEqual(Wrapper{}, Wrapper{}) })
	try("int", func() bool { return none.DeepEqual(1, 1) })
	try("nil", func() bool { return none.DeepEqual(nil, x) })
}
