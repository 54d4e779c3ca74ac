// Case template_safe_call: port of safeCall from Go 1.19 src/text/template/funcs.go
// (golang/go, go1.19.8; /usr/share/go-1.19/src/text/template/funcs.go). safeCall has the
// named results (val reflect.Value, err error): `return ret[0], ..` sets both and then the
// deferred literal runs; when the call panics, the literal's recover() sets err alone and val
// is returned as it is, the zero reflect.Value.
// Adapted to run standalone: main calls it on template-style functions (one result, or a
// result and an error) as text/template's evalCall and call do, and prints val and err.
package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// safeCall runs fun.Call(args), and returns the resulting value and error, if
// any. If the call panics, the panic value is returned as an error.
func safeCall(fun reflect.Value, args []reflect.Value) (val reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	ret := fun.Call(args)
	if len(ret) == 2 && !ret[1].IsNil() {
		return ret[0], ret[1].Interface().(error)
	}
	return ret[0], nil
}

var errNegative = errors.New("negative count")

func repeat(s string, n int) (string, error) {
	if n < 0 {
		return "", errNegative
	}
	if n > 3 {
		panic(fmt.Errorf("repeat %q %d times: too many", s, n))
	}
	return strings.Repeat(s, n), nil
}

func upper(s string) string {
	if s == "" {
		panic("upper of an empty string")
	}
	return strings.ToUpper(s)
}

func show(name string, fun any, args ...any) {
	argv := make([]reflect.Value, len(args))
	for i, a := range args {
		argv[i] = reflect.ValueOf(a)
	}
	val, err := safeCall(reflect.ValueOf(fun), argv)
	if val.IsValid() {
		fmt.Printf("%s%v: val=%q err=%v\n", name, args, val.Interface(), err)
	} else {
		fmt.Printf("%s%v: val=<invalid reflect.Value> err=%v\n", name, args, err)
	}
}

func main() {
	show("repeat", repeat, "ab", 2)
	show("repeat", repeat, "ab", -1)
	show("repeat", repeat, "ab", 5)
	show("upper", upper, "go")
	show("upper", upper, "")
}
