// Case gob_catch_error: encoding/gob's error scheme (src/encoding/gob/error.go,
// Go 1.19): errors inside the encoder are panics of a package type, and the
// exported method turns them back into its named error result with a
// reusable handler, `defer catchError(&err)`, which re-panics anything else
// (a run-time panic passes through to the caller).
package main

import "fmt"

// A gobError is used to distinguish errors (panics) generated in this package.
type gobError struct {
	err error
}

func errorf(format string, args ...interface{}) {
	error_(fmt.Errorf("gob: "+format, args...))
}

func error_(err error) {
	panic(gobError{err})
}

func catchError(err *error) {
	if e := recover(); e != nil {
		ge, ok := e.(gobError)
		if !ok {
			panic(e)
		}
		*err = ge.err
	}
	return
}

type Encoder struct {
	sent int
}

func (enc *Encoder) encodeInt(v int) {
	if v < 0 {
		errorf("cannot encode negative value %d", v)
	}
	if v > 1000 {
		panic("value out of range")
	}
	enc.sent++
}

func (enc *Encoder) Encode(v int) (err error) {
	defer catchError(&err)
	enc.encodeInt(v)
	fmt.Println("encoded", v)
	return nil
}

func main() {
	enc := &Encoder{}
	for _, v := range []int{1, -2, 3} {
		err := enc.Encode(v)
		fmt.Println("Encode", v, "err:", err)
	}
	func() {
		defer func() {
			fmt.Println("passed through:", recover())
		}()
		enc.Encode(5000)
	}()
	fmt.Println("sent", enc.sent)
}
