// Case file_close: `f := Open(..); defer f.Close()` and keep using f; Close sees the final
// state (pointer receiver). Idiom (Effective Go, "Defer": Contents reading a file).
package main

import (
	"errors"
	"fmt"
)

type File struct {
	name   string
	lines  []string
	closed bool
}

func Open(name string) *File {
	fmt.Println("open", name)
	return &File{name: name}
}

func (f *File) Write(s string) {
	if f.closed {
		panic("write on closed file")
	}
	f.lines = append(f.lines, s)
}

func (f *File) Close() {
	f.closed = true
	fmt.Println("close", f.name, "after", len(f.lines), "writes")
}

func writeAll(name string, words []string) error {
	f := Open(name)
	defer f.Close()
	for _, w := range words {
		if w == "" {
			return errors.New("empty word")
		}
		f.Write(w)
	}
	fmt.Println("wrote", len(f.lines), "lines to", f.name)
	return nil
}

func copyFile(dst, src string) {
	in := Open(src)
	defer in.Close()
	out := Open(dst)
	defer out.Close()
	in.Write("x")
	out.Write("x")
	out.Write("y")
}

func main() {
	fmt.Println("err:", writeAll("a.txt", []string{"hello", "world"}))
	fmt.Println("err:", writeAll("b.txt", []string{"one", "", "three"}))
	copyFile("dst", "src")
}
