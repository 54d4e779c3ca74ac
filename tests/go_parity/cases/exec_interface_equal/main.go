// Case exec_interface_equal: port of interfaceEqual and (*Cmd).stderr from Go 1.19
// src/os/exec/exec.go (golang/go, go1.19.8; /usr/share/go-1.19/src/os/exec/exec.go).
// interfaceEqual recovers without setting its result, so a comparison that panics
// (two interfaces holding an uncomparable type) returns false, bool's zero value.
// Adapted to run standalone: Cmd keeps only Stdout and Stderr, and stderr reports which
// descriptor it would use instead of opening one; main prints what it returns.
package main

import (
	"bytes"
	"fmt"
	"io"
)

type Cmd struct {
	Stdout io.Writer
	Stderr io.Writer
}

// interfaceEqual protects against panics from doing equality tests on
// two interfaces with non-comparable underlying types.
func interfaceEqual(a, b any) bool {
	defer func() {
		recover()
	}()
	return a == b
}

func (c *Cmd) stderr() string {
	if c.Stderr != nil && interfaceEqual(c.Stderr, c.Stdout) {
		return "stderr shares stdout's descriptor"
	}
	return "stderr gets its own descriptor"
}

// sliceWriter is an io.Writer whose dynamic type is not comparable.
type sliceWriter []byte

func (w sliceWriter) Write(p []byte) (int, error) { return len(p), nil }

func main() {
	buf := new(bytes.Buffer)
	other := new(bytes.Buffer)
	sw := sliceWriter("log")

	fmt.Println("same buffer:", interfaceEqual(buf, buf))
	fmt.Println("two buffers:", interfaceEqual(buf, other))
	fmt.Println("uncomparable:", interfaceEqual(sw, sw))
	fmt.Println("buffer and slice writer:", interfaceEqual(buf, sw))

	cmds := []*Cmd{
		{Stdout: buf, Stderr: buf},
		{Stdout: buf, Stderr: other},
		{Stdout: sw, Stderr: sw},
		{Stdout: buf, Stderr: nil},
	}
	for i, c := range cmds {
		fmt.Printf("cmd %d: %s\n", i, c.stderr())
	}
}
