// Case error_wrap: a deferred closure wraps the error in the named result
// (`defer func() { if err != nil { err = fmt.Errorf("...: %w", err) } }()`), and the
// same thing as an errdefer. Idiom (golang.org/x/... "derrors.Wrap(&err, ...)" pattern).
package main

import (
	"errors"
	"fmt"
	"strconv"
)

func parsePort(s string) (port int, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("parsePort %q: %w", s, err)
		}
	}()
	if s == "" {
		return 0, errors.New("empty")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errors.New("not a number")
	}
	if n < 1 || n > 65535 {
		return 0, fmt.Errorf("%d out of range", n)
	}
	return n, nil
}

func loadConfig(name, port string) (cfg string, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("loadConfig %s: %w", name, err)
		}
	}()
	p, err := parsePort(port)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s:%d", name, p), nil
}

func main() {
	for _, port := range []string{"8080", "", "http", "70000"} {
		cfg, err := loadConfig("db", port)
		if err != nil {
			fmt.Println("error:", err)
		} else {
			fmt.Println("config:", cfg)
		}
	}
}
