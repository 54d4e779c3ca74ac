// Case tabwriter_handle_panic: text/tabwriter's error scheme (Go 1.19,
// src/text/tabwriter/tabwriter.go, reduced to the cell-less parts): write
// errors of the output are panics of osError; Write and flush defer the
// method handler `b.handlePanic(&err, op)`, which resets after a failed
// Flush, turns osError into the named error result (Write's `n`, set before
// the panic, is returned as it was) and turns any other panic into a new one.
package main

import (
	"errors"
	"fmt"
	"io"
)

type failingOut struct {
	budget int
}

func (o *failingOut) Write(p []byte) (int, error) {
	if o.budget == 0 {
		return 0, errors.New("disk full")
	}
	o.budget--
	fmt.Printf("out: %q\n", p)
	return len(p), nil
}

type Writer struct {
	output io.Writer
	buf    []byte
	lines  int
}

func (b *Writer) reset() {
	b.buf = b.buf[:0]
	fmt.Println("reset")
}

type osError struct {
	err error
}

func (b *Writer) write0(buf []byte) {
	n, err := b.output.Write(buf)
	if n != len(buf) && err == nil {
		err = io.ErrShortWrite
	}
	if err != nil {
		panic(osError{err})
	}
}

func (b *Writer) handlePanic(err *error, op string) {
	if e := recover(); e != nil {
		if op == "Flush" {
			// If Flush ran into a panic, we still need to reset.
			b.reset()
		}
		if nerr, ok := e.(osError); ok {
			*err = nerr.err
			return
		}
		panic("tabwriter: panic during " + op)
	}
}

func (b *Writer) Flush() error {
	return b.flush()
}

func (b *Writer) flush() (err error) {
	defer b.handlePanic(&err, "Flush")
	b.flushNoDefers()
	return nil
}

func (b *Writer) flushNoDefers() {
	if len(b.buf) > 0 {
		b.write0(b.buf)
	}
	b.reset()
}

func (b *Writer) Write(buf []byte) (n int, err error) {
	defer b.handlePanic(&err, "Write")
	n = 0
	for i, ch := range buf {
		if ch == '\n' {
			b.buf = append(b.buf, buf[n:i+1]...)
			n = i + 1
			b.lines++
			if b.lines == 4 {
				panic("too many lines")
			}
			b.flushNoDefers()
		}
	}
	b.buf = append(b.buf, buf[n:]...)
	n = len(buf)
	return
}

func main() {
	w := &Writer{output: &failingOut{budget: 2}}
	n, err := w.Write([]byte("a\tb\nc"))
	fmt.Println("Write:", n, err)
	fmt.Println("Flush:", w.Flush())
	n, err = w.Write([]byte("d\ne\nf"))
	fmt.Println("Write:", n, err)
	fmt.Println("Flush:", w.Flush(), "buffered:", len(w.buf))
	func() {
		defer func() {
			fmt.Println("recovered:", recover())
		}()
		w.output = &failingOut{budget: 5}
		n, err := w.Write([]byte("g\nh\n"))
		fmt.Println("not reached", n, err)
	}()
}
