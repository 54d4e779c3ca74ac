// Case http_recover_handler: net/http-style middleware (a recoverer that turns a panic into a
// 500 response, a logger whose defer reports the final status) built from function literals
// with their own defers, and an RPC-style handler that recovers into its named results.
// Held-out style twin written from the user docs only.
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

type Request struct {
	Method string
	Path   string
}

type ResponseWriter struct {
	status int
	body   strings.Builder
}

func (w *ResponseWriter) WriteHeader(code int) {
	if w.status != 0 {
		fmt.Println("  superfluous WriteHeader", code, "(already", w.status, ")")
		return
	}
	w.status = code
}

func (w *ResponseWriter) Write(s string) {
	if w.status == 0 {
		w.status = 200
	}
	w.body.WriteString(s)
}

type HandlerFunc func(w *ResponseWriter, r *Request)

func recoverer(next HandlerFunc) HandlerFunc {
	return func(w *ResponseWriter, r *Request) {
		defer func() {
			if p := recover(); p != nil {
				fmt.Printf("  panic serving %s %s: %v\n", r.Method, r.Path, p)
				w.WriteHeader(500)
				w.Write("internal error\n")
			}
		}()
		next(w, r)
	}
}

func logging(next HandlerFunc) HandlerFunc {
	return func(w *ResponseWriter, r *Request) {
		fmt.Println("  start", r.Method, r.Path)
		defer func() {
			fmt.Println("  done", r.Method, r.Path, "status", w.status)
		}()
		next(w, r)
	}
}

var users = map[string]string{"1": "ann", "2": "bob"}

func hello(w *ResponseWriter, r *Request) {
	w.Write("hello\n")
}

func user(w *ResponseWriter, r *Request) {
	id := strings.TrimPrefix(r.Path, "/user/")
	name, ok := users[id]
	if !ok {
		panic(fmt.Sprintf("no user %q", id))
	}
	w.Write("user " + name + "\n")
}

func stream(w *ResponseWriter, r *Request) {
	for i := 1; i <= 3; i++ {
		if i == 3 {
			panic("stream broken at chunk " + strconv.Itoa(i))
		}
		w.Write("chunk " + strconv.Itoa(i) + "\n")
	}
}

type Mux struct {
	routes map[string]HandlerFunc
}

func (m *Mux) ServeHTTP(w *ResponseWriter, r *Request) {
	prefixes := make([]string, 0, len(m.routes))
	for p := range m.routes {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for i := len(prefixes) - 1; i >= 0; i-- {
		if strings.HasPrefix(r.Path, prefixes[i]) {
			m.routes[prefixes[i]](w, r)
			return
		}
	}
	w.WriteHeader(404)
	w.Write("not found\n")
}

// call is an RPC-style entry point: a panic becomes an error result.
func call(method string, arg int) (result int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("rpc %s(%d): %v", method, arg, p)
			result = -1
		}
	}()
	switch method {
	case "square":
		return arg * arg, nil
	case "half":
		if arg%2 != 0 {
			panic("odd argument")
		}
		return arg / 2, nil
	}
	return 0, fmt.Errorf("unknown method %s", method)
}

func main() {
	mux := &Mux{routes: map[string]HandlerFunc{
		"/":       hello,
		"/user/":  user,
		"/stream": stream,
	}}
	handler := logging(recoverer(mux.ServeHTTP))
	reqs := []Request{
		{"GET", "/"},
		{"GET", "/user/2"},
		{"GET", "/user/9"},
		{"POST", "/stream"},
	}
	for _, r := range reqs {
		r := r
		w := &ResponseWriter{}
		handler(w, &r)
		fmt.Printf("%s %s -> %d %q\n", r.Method, r.Path, w.status, w.body.String())
	}

	// The logger inside the recoverer sees the panic before it is recovered.
	inner := recoverer(logging(user))
	w := &ResponseWriter{}
	inner(w, &Request{"GET", "/user/x"})
	fmt.Printf("inner -> %d %q\n", w.status, w.body.String())

	for _, c := range []struct {
		m string
		a int
	}{{"square", 7}, {"half", 10}, {"half", 3}, {"cube", 2}} {
		res, err := call(c.m, c.a)
		fmt.Println("call", c.m, c.a, "=", res, err)
	}
}
