// Case parser_safe_pos: go/parser's safePos (src/go/parser/parser.go, Go
// 1.19, as is): a method with a named result, whose deferred literal turns
// the panic of go/token's File.Offset on an out-of-range position into the
// file's EOF position. The FileSet and File are go/token's own.
package main

import (
	"fmt"
	"go/token"
)

type parser struct {
	file *token.File
}

// safePos returns a valid file position for a given position: If pos
// is valid to begin with, safePos returns pos. If pos is out-of-range,
// safePos returns the EOF position.
//
// This is hack to work around "artificial" end positions in the AST which
// are computed by adding 1 to (presumably valid) token positions. If the
// token positions are invalid due to parse errors, the resulting end position
// may be past the file's EOF position, which would lead to panics if used
// later on.
func (p *parser) safePos(pos token.Pos) (res token.Pos) {
	defer func() {
		if recover() != nil {
			res = token.Pos(p.file.Base() + p.file.Size()) // EOF position
		}
	}()
	_ = p.file.Offset(pos) // trigger a panic if position is out-of-range
	return pos
}

func main() {
	fset := token.NewFileSet()
	a := fset.AddFile("a.go", -1, 10)
	b := fset.AddFile("b.go", -1, 5)
	for _, f := range []*token.File{a, b} {
		p := &parser{file: f}
		for _, pos := range []token.Pos{0, 1, 5, 11, 12, 17, 18, 100} {
			fmt.Printf("%s [%d, %d]: safePos(%d) = %d\n", f.Name(), f.Base(), f.Base()+f.Size(), pos, p.safePos(pos))
		}
	}
}
