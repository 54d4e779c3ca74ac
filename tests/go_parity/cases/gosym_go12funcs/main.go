// Case gosym_go12funcs: port of (*LineTable).go12Funcs from Go 1.19
// src/debug/gosym/pclntab.go (golang/go, go1.19.8; /usr/share/go-1.19/src/debug/gosym/pclntab.go).
// The function defers, inside `if !disableRecover { .. }`, a literal that calls recover()
// and sets nothing: a malformed table (a slice lookup that panics) returns nil, the zero
// value of []Func, whatever the body had built so far.
// Adapted to run standalone: the binary pcln table is a struct of slices (functab holds the
// nfunctab+1 entry PCs, funcdata a name and frame size per function), so funcTab, pc,
// funcData, deferreturn, nameoff and funcName are one-line lookups that panic where the real
// decoder's slice lookups do; Func and Sym keep the fields go12Funcs sets. main prints the
// length, not `funcs == nil`: the Rust zero value of Vec is empty, not nil.
package main

import "fmt"

type Sym struct {
	Value  uint64
	Type   byte
	Name   string
	GoType uint64
	Func   *Func
}

type Func struct {
	Entry uint64
	*Sym
	End       uint64
	FrameSize int
	LineTable *LineTable
}

type LineTable struct {
	nfunctab uint32
	functab  []uint64
	funcdata []funcInfo
}

type funcInfo struct {
	name      string
	frameSize uint32
}

type funcTab struct {
	*LineTable
}

func (t *LineTable) funcTab() funcTab { return funcTab{t} }

func (f funcTab) Count() int { return int(f.nfunctab) }

func (f funcTab) pc(i int) uint64 { return f.functab[i] }

type funcData struct {
	t    *LineTable
	data funcInfo
	off  uint32
}

func (t *LineTable) funcData(i uint32) funcData { return funcData{t, t.funcdata[i], i} }

func (f funcData) deferreturn() uint32 { return f.data.frameSize }

func (f funcData) nameoff() uint32 { return f.off }

func (t *LineTable) funcName(off uint32) string { return t.funcdata[off].name }

// go12Funcs returns a slice of Funcs derived from the Go 1.2+ pcln table.
func (t *LineTable) go12Funcs() []Func {
	// Assume it is malformed and return nil on error.
	if !disableRecover {
		defer func() {
			recover()
		}()
	}

	ft := t.funcTab()
	funcs := make([]Func, ft.Count())
	syms := make([]Sym, len(funcs))
	for i := range funcs {
		f := &funcs[i]
		f.Entry = ft.pc(i)
		f.End = ft.pc(i + 1)
		info := t.funcData(uint32(i))
		f.LineTable = t
		f.FrameSize = int(info.deferreturn())
		syms[i] = Sym{
			Value:  f.Entry,
			Type:   'T',
			Name:   t.funcName(info.nameoff()),
			GoType: 0,
			Func:   f,
		}
		f.Sym = &syms[i]
	}
	return funcs
}

// disableRecover causes this package not to swallow panics.
// This is useful when making changes.
const disableRecover = false

func show(name string, t *LineTable) {
	funcs := t.go12Funcs()
	fmt.Printf("%s: %d funcs\n", name, len(funcs))
	for _, f := range funcs {
		fmt.Printf("  %s [%#x, %#x) frame %d type %c\n", f.Name, f.Entry, f.End, f.FrameSize, f.Sym.Type)
	}
}

func main() {
	main := []funcInfo{{"main.main", 24}, {"main.helper", 8}, {"main.init", 0}}
	show("good", &LineTable{nfunctab: 3, functab: []uint64{0x1000, 0x1080, 0x10c0, 0x1100}, funcdata: main})
	show("empty", &LineTable{nfunctab: 0, functab: []uint64{0x1000}})
	show("truncated functab", &LineTable{nfunctab: 3, functab: []uint64{0x1000, 0x1080, 0x10c0}, funcdata: main})
	show("missing funcdata", &LineTable{nfunctab: 3, functab: []uint64{0x1000, 0x1080, 0x10c0, 0x1100}, funcdata: main[:1]})
	show("no functab", &LineTable{nfunctab: 2})
}
