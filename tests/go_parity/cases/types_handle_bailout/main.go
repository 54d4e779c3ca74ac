// Case types_handle_bailout: port of bailout, (*Checker).handleBailout, Files, checkFiles
// and the package-name loop of initFiles from Go 1.19 src/go/types/check.go, and the end of
// (*Checker).report from src/go/types/errors.go (golang/go, go1.19.8;
// /usr/share/go-1.19/src/go/types/). checkFiles returns its named result err through
// `defer check.handleBailout(&err)`, a method that calls recover() itself: a bailout panic
// (the first error, when Config.Error is nil) or a normal return sets err to firstErr; any
// other panic goes on. errBadCgo is returned before the defer.
// Adapted to run standalone: File is a package clause and a list of declared names;
// collectObjects only reports redeclarations (and panics on a name "bug", standing for a
// checker bug); the later phases of checkFiles are left out; errorf builds an Error from a
// position and a message; main prints what Files returns.
package main

import (
	"errors"
	"fmt"
)

type Error struct {
	Pos int
	Msg string
}

func (err Error) Error() string { return fmt.Sprintf("%d: %s", err.Pos, err.Msg) }

type Config struct {
	FakeImportC  bool
	go115UsesCgo bool
	Error        func(err error)
}

type File struct {
	Package int
	Name    string
	Decls   []string
}

type Package struct {
	name string
}

type Checker struct {
	conf     *Config
	pkg      *Package
	files    []*File
	objs     map[string]int
	firstErr error
}

const trace = false

func (check *Checker) errorf(pos int, format string, args ...any) {
	err := Error{pos, fmt.Sprintf(format, args...)}

	if check.firstErr == nil {
		check.firstErr = err
	}

	f := check.conf.Error
	if f == nil {
		panic(bailout{}) // report only first error
	}
	f(err)
}

func (check *Checker) initFiles(files []*File) {
	// determine package name and collect valid files
	pkg := check.pkg
	for _, file := range files {
		switch name := file.Name; pkg.name {
		case "":
			if name != "_" {
				pkg.name = name
			} else {
				check.errorf(file.Package, "invalid package name _")
			}
			fallthrough

		case name:
			check.files = append(check.files, file)

		default:
			check.errorf(file.Package, "package %s; expected %s", name, pkg.name)
			// ignore this file
		}
	}
}

func (check *Checker) collectObjects() {
	for _, file := range check.files {
		for i, name := range file.Decls {
			if name == "bug" {
				panic(fmt.Sprintf("internal error: cannot collect %s", name))
			}
			if _, dup := check.objs[name]; dup {
				check.errorf(file.Package+1+i, "%s redeclared in this block", name)
				continue
			}
			check.objs[name] = file.Package + 1 + i
		}
	}
}

// A bailout panic is used for early termination.
type bailout struct{}

func (check *Checker) handleBailout(err *error) {
	switch p := recover().(type) {
	case nil, bailout:
		// normal return or early exit
		*err = check.firstErr
	default:
		// re-panic
		panic(p)
	}
}

// Files checks the provided files as part of the checker's package.
func (check *Checker) Files(files []*File) error { return check.checkFiles(files) }

var errBadCgo = errors.New("cannot use FakeImportC and go115UsesCgo together")

func (check *Checker) checkFiles(files []*File) (err error) {
	if check.conf.FakeImportC && check.conf.go115UsesCgo {
		return errBadCgo
	}

	defer check.handleBailout(&err)

	print := func(msg string) {
		if trace {
			fmt.Println()
			fmt.Println(msg)
		}
	}

	print("== initFiles ==")
	check.initFiles(files)

	print("== collectObjects ==")
	check.collectObjects()

	return
}

func check(name string, conf *Config, files ...*File) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panic: %v\n", name, r)
		}
	}()
	c := &Checker{conf: conf, pkg: &Package{}, objs: map[string]int{}}
	err := c.Files(files)
	fmt.Printf("%s: err=%v package=%q files=%d objects=%d\n", name, err, c.pkg.name, len(c.files), len(c.objs))
}

func main() {
	a := &File{Package: 10, Name: "p", Decls: []string{"x", "y"}}
	b := &File{Package: 20, Name: "p", Decls: []string{"z", "x"}}
	c := &File{Package: 30, Name: "q", Decls: []string{"w"}}
	blank := &File{Package: 40, Name: "_", Decls: []string{"v"}}
	bug := &File{Package: 50, Name: "p", Decls: []string{"u", "bug"}}
	all := func(err error) { fmt.Println("  reported:", err) }

	check("ok", &Config{}, a)
	check("redeclared", &Config{}, a, b)
	check("wrong package", &Config{}, a, c, b)
	check("all errors", &Config{Error: all}, a, c, b)
	check("blank", &Config{Error: all}, blank, a)
	check("bad cgo", &Config{FakeImportC: true, go115UsesCgo: true}, a)
	check("checker bug", &Config{}, a, bug)
	check("bug after error", &Config{Error: all}, a, b, bug)
}
