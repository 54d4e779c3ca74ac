// Case layered_errors: error wrapping through named results across helper layers: a parser
// that turns its error into a typed SyntaxError, a reader whose deferred Close error is kept
// only when the body succeeded, a loader that adds context with %w, and a driver whose defer
// reports the named count even on an error return; errors.Is/errors.As at the top.
// Held-out style twin written from the user docs only.
package main

import (
	"errors"
	"fmt"
	"strings"
)

var ErrNotFound = errors.New("not found")

type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

var files = map[string]string{
	"app.conf":   "name = demo\nport = 8080\n",
	"bad.conf":   "name = x\nport\n",
	"empty.conf": "name = z\n = 1\n",
	"close.conf": "name = y\n",
}

type reader struct {
	name  string
	lines []string
}

func open(name string) (*reader, error) {
	text, ok := files[name]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", name, ErrNotFound)
	}
	fmt.Println("  open", name)
	return &reader{name: name, lines: strings.Split(strings.TrimSuffix(text, "\n"), "\n")}, nil
}

func (r *reader) Close() error {
	fmt.Println("  close", r.name)
	if r.name == "close.conf" {
		return errors.New("close close.conf: device busy")
	}
	return nil
}

func parseLine(n int, line string) (key, val string, err error) {
	defer func() {
		if err != nil {
			err = &SyntaxError{Line: n, Msg: err.Error()}
		}
	}()
	k, v, ok := strings.Cut(line, "=")
	if !ok {
		return "", "", errors.New("missing '='")
	}
	key = strings.TrimSpace(k)
	val = strings.TrimSpace(v)
	if key == "" {
		return "", "", errors.New("empty key")
	}
	return key, val, nil
}

func readConfig(name string) (cfg map[string]string, err error) {
	r, err := open(name)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := r.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	cfg = map[string]string{}
	for i, line := range r.lines {
		k, v, err := parseLine(i+1, line)
		if err != nil {
			return nil, err
		}
		cfg[k] = v
	}
	return cfg, nil
}

func loadConfig(name string) (cfg map[string]string, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("load config %s: %w", name, err)
		}
	}()
	return readConfig(name)
}

func loadAll(names []string) (n int, err error) {
	defer func() {
		fmt.Println("  loaded", n, "of", len(names))
	}()
	for _, name := range names {
		cfg, err := loadConfig(name)
		if errors.Is(err, ErrNotFound) {
			fmt.Println("  skip", name)
			continue
		}
		if err != nil {
			return n, fmt.Errorf("loadAll: %w", err)
		}
		n++
		fmt.Println("  got", name, cfg["name"])
	}
	return n, nil
}

func main() {
	for _, name := range []string{"app.conf", "bad.conf", "empty.conf", "close.conf", "missing.conf"} {
		cfg, err := loadConfig(name)
		var se *SyntaxError
		switch {
		case err == nil:
			fmt.Printf("%s ok: name=%q port=%q\n", name, cfg["name"], cfg["port"])
		case errors.As(err, &se):
			fmt.Println(name, "syntax error at line", se.Line, "-", err)
		case errors.Is(err, ErrNotFound):
			fmt.Println(name, "missing -", err)
		default:
			fmt.Println(name, "failed -", err)
		}
	}
	n, err := loadAll([]string{"app.conf", "missing.conf", "app.conf"})
	fmt.Println("loadAll:", n, err)
	n, err = loadAll([]string{"app.conf", "close.conf", "bad.conf"})
	fmt.Println("loadAll:", n, err)
}
