// Case modindex_unprotect: port of protect, unprotect, fromBytes, (*Module).pkgDir and
// (*Module).Walk from Go 1.19 src/cmd/go/internal/modindex/read.go (golang/go, go1.19.8;
// /usr/share/go-1.19/src/cmd/go/internal/modindex/read.go), with decoder.intAt, stringAt and
// stringTableAt from the same file. `defer unprotect(protect(), &err)` calls protect() at the
// defer and unprotect at exit; unprotect is a handler that calls recover() itself and sets
// the named result err of fromBytes (m, err) in place, or, given nil (Walk), panics again.
// Adapted to run standalone: `enabled` is a constant; base.Fatalf is not reached (main sets
// isTest, as the package's tests do); main builds index data with a small encoder, prints
// what fromBytes returns and what Walk visits, and reads debug.SetPanicOnFault after each
// call to show that unprotect restored the setting protect saved.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime/debug"
)

const indexVersion = "go index v0"

const enabled = true

type Module struct {
	modroot string
	d       *decoder
	n       int // number of packages
}

var errCorrupt = errors.New("corrupt index")

// protect marks the start of a large section of code that accesses the index.
// It should be used as:
//
//	defer unprotect(protect, &err)
//
// It should not be used for trivial accesses which would be
// dwarfed by the overhead of the defer.
func protect() bool {
	return debug.SetPanicOnFault(true)
}

var isTest = false

// unprotect marks the end of a large section of code that accesses the index.
// It should be used as:
//
//	defer unprotect(protect, &err)
//
// end looks for panics due to errCorrupt or bad mmap accesses.
// When it finds them, it adds explanatory text, consumes the panic, and sets *errp instead.
// If errp is nil, end adds the explanatory text but then calls base.Fatalf.
func unprotect(old bool, errp *error) {
	// SetPanicOnFault's errors _may_ satisfy this interface. Even though it's not guaranteed
	// that all its errors satisfy this interface, we'll only check for these errors so that
	// we don't suppress panics that could have been produced from other sources.
	type addrer interface {
		Addr() uintptr
	}

	debug.SetPanicOnFault(old)

	if e := recover(); e != nil {
		if _, ok := e.(addrer); ok || e == errCorrupt {
			// This panic was almost certainly caused by SetPanicOnFault or our panic(errCorrupt).
			err := fmt.Errorf("error reading module index: %v", e)
			if errp != nil {
				*errp = err
				return
			}
			if isTest {
				panic(err)
			}
			fmt.Printf("base.Fatalf: %v\n", err)
		}
		// The panic was likely not caused by SetPanicOnFault.
		panic(e)
	}
}

// fromBytes returns a *Module given the encoded representation.
func fromBytes(moddir string, data []byte) (m *Module, err error) {
	if !enabled {
		panic("use of index")
	}

	defer unprotect(protect(), &err)

	if !bytes.HasPrefix(data, []byte(indexVersion+"\n")) {
		return nil, errCorrupt
	}

	const hdr = len(indexVersion + "\n")
	d := &decoder{data: data}
	str := d.intAt(hdr)
	if str < hdr+8 || len(d.data) < str {
		return nil, errCorrupt
	}
	d.data, d.str = data[:str], d.data[str:]
	// Check that string table looks valid.
	// First string is empty string (length 0),
	// and we leave a marker byte 0xFF at the end
	// just to make sure that the file is not truncated.
	if len(d.str) == 0 || d.str[0] != 0 || d.str[len(d.str)-1] != 0xFF {
		return nil, errCorrupt
	}

	n := d.intAt(hdr + 4)
	if n < 0 || n > (len(d.data)-8)/8 {
		return nil, errCorrupt
	}

	m = &Module{
		moddir,
		d,
		n,
	}
	return m, nil
}

// pkgDir returns the dir string of the i'th package in the index.
func (m *Module) pkgDir(i int) string {
	if i < 0 || i >= m.n {
		panic(errCorrupt)
	}
	return m.d.stringAt(12 + 8 + 8*i)
}

// Walk calls f for each package in the index, passing the path to that package relative to the module root.
func (m *Module) Walk(f func(path string)) {
	defer unprotect(protect(), nil)
	for i := 0; i < m.n; i++ {
		f(m.pkgDir(i))
	}
}

type decoder struct {
	data []byte // data after header
	str  []byte // string table
}

// intAt returns the int at the given offset in d.data.
func (d *decoder) intAt(off int) int {
	if off < 0 || len(d.data)-off < 4 {
		panic(errCorrupt)
	}
	i := binary.LittleEndian.Uint32(d.data[off : off+4])
	if int32(i)>>31 != 0 {
		panic(errCorrupt)
	}
	return int(i)
}

// stringTableAt returns the string pointed at by the int at the given offset in d.data.
func (d *decoder) stringAt(off int) string {
	return d.stringTableAt(d.intAt(off))
}

// stringTableAt returns the string at the given offset in the string table d.str.
func (d *decoder) stringTableAt(off int) string {
	if off < 0 || off >= len(d.str) {
		panic(errCorrupt)
	}
	s := d.str[off:]
	v, n := binary.Uvarint(s)
	if n <= 0 || v > uint64(len(s[n:])) {
		panic(errCorrupt)
	}
	return string(s[n : n+int(v)])
}

// encode builds index data: header, string table offset, package count, one
// (dir string, package offset) pair per package, then the string table.
func encode(dirs []string, claim int) []byte {
	var out []byte
	out = append(out, indexVersion+"\n"...)
	u32 := func(v int) { out = binary.LittleEndian.AppendUint32(out, uint32(v)) }
	var strtab = []byte{0}
	offs := make([]int, len(dirs))
	for i, d := range dirs {
		offs[i] = len(strtab)
		strtab = binary.AppendUvarint(strtab, uint64(len(d)))
		strtab = append(strtab, d...)
	}
	strtab = append(strtab, 0xFF)
	u32(len(out) + 8 + 8*len(dirs))
	u32(claim)
	for i := range dirs {
		u32(offs[i])
		u32(0)
	}
	return append(out, strtab...)
}

func faultMode() bool {
	old := debug.SetPanicOnFault(false)
	debug.SetPanicOnFault(old)
	return old
}

func load(name string, data []byte) *Module {
	m, err := fromBytes("/mod", data)
	fmt.Printf("%s: module=%v err=%v panicOnFault=%v\n", name, m != nil, err, faultMode())
	return m
}

func walk(name string, m *Module, f func(string)) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("walk %s: panic: %v\n", name, r)
		}
		fmt.Printf("walk %s: panicOnFault=%v\n", name, faultMode())
	}()
	m.Walk(f)
}

func main() {
	isTest = true
	good := encode([]string{"cmd/a", "internal/b"}, 2)
	m := load("good", good)
	walk("good", m, func(dir string) { fmt.Println("  package", dir) })
	load("bad header", []byte("go index v1\n...."))
	load("truncated", []byte("go index v0\n\x01\x00"))
	load("negative", []byte("go index v0\n\xff\xff\xff\xff"))
	load("no marker", good[:len(good)-1])
	load("count too big", encode([]string{"a"}, 9))

	bad := encode([]string{"cmd/a", "cmd/b"}, 2)
	bad[12+8+8] = 0x7f // second dir points past the string table
	walk("corrupt dir", load("corrupt dir", bad), func(dir string) { fmt.Println("  package", dir) })
	walk("callback panics", m, func(dir string) { panic("callback failed on " + dir) })
	walk("nested load", m, func(dir string) {
		_, err := fromBytes(dir, []byte("junk"))
		fmt.Printf("  nested fromBytes(%s): err=%v panicOnFault=%v\n", dir, err, faultMode())
	})
}
