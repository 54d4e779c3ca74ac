// Case h2_note_panic: port of http2testHookOnPanicMu, http2testHookOnPanic,
// (*http2serverConn).notePanic and the defers of (*http2serverConn).serve from Go 1.19
// src/net/http/h2_bundle.go (golang/go, go1.19.8; /usr/share/go-1.19/src/net/http/h2_bundle.go,
// bundled from golang.org/x/net/http2/server.go). serve defers the method notePanic first, so
// it runs last; notePanic locks the test hook's mutex with a defer of its own when the mutex is
// set, and calls recover() itself when the hook is set, panicking again if the hook says so.
// Adapted to run standalone: the hook mutex is a mutex that prints Lock and Unlock; the conn,
// the streams, the shutdown timer and the doneServing channel are stubs that print when they
// are closed or stopped; the serve loop handles a list of frame names (a "bad" frame panics,
// "goaway" returns); main sets the hooks as the http2 tests do and prints what happens.
package main

import (
	"fmt"
	"sync"
)

type logMutex struct{ mu sync.Mutex }

func (m *logMutex) Lock()   { m.mu.Lock(); fmt.Println("  hook mutex: Lock") }
func (m *logMutex) Unlock() { fmt.Println("  hook mutex: Unlock"); m.mu.Unlock() }

var http2testHookOnPanicMu *logMutex // nil except in tests

// testHookOnPanic, if non-nil, should be called with testHookOnPanicMu
// held. It returns whether the panic should be re-panicked.
var http2testHookOnPanic func(sc *http2serverConn, panicVal interface{}) (rePanic bool)

type conn struct{ name string }

func (c *conn) Close() error {
	fmt.Printf("  %s: conn closed\n", c.name)
	return nil
}

type http2serverConn struct {
	conn        *conn
	doneServing chan struct{}
	frames      []string
}

func (sc *http2serverConn) closeAllStreamsOnConnClose() {
	fmt.Printf("  %s: streams closed\n", sc.conn.name)
}

func (sc *http2serverConn) stopShutdownTimer() {
	fmt.Printf("  %s: shutdown timer stopped\n", sc.conn.name)
}

func (sc *http2serverConn) notePanic() {
	// Note: this is for serverConn.serve panicking, not http.Handler code.
	if http2testHookOnPanicMu != nil {
		http2testHookOnPanicMu.Lock()
		defer http2testHookOnPanicMu.Unlock()
	}
	if http2testHookOnPanic != nil {
		if e := recover(); e != nil {
			if http2testHookOnPanic(sc, e) {
				panic(e)
			}
		}
	}
}

func (sc *http2serverConn) serve() {
	defer sc.notePanic()
	defer sc.conn.Close()
	defer sc.closeAllStreamsOnConnClose()
	defer sc.stopShutdownTimer()
	defer close(sc.doneServing) // unblocks handlers trying to send

	for _, f := range sc.frames {
		switch f {
		case "bad":
			panic("http2: unexpected frame on " + sc.conn.name)
		case "goaway":
			fmt.Printf("  %s: goaway\n", sc.conn.name)
			return
		default:
			fmt.Printf("  %s: frame %s\n", sc.conn.name, f)
		}
	}
}

func run(name string, frames ...string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: serve panicked: %v\n", name, r)
		}
	}()
	fmt.Println(name + ":")
	sc := &http2serverConn{conn: &conn{name}, doneServing: make(chan struct{}), frames: frames}
	sc.serve()
	_, open := <-sc.doneServing
	fmt.Printf("%s: serve returned (doneServing open: %v)\n", name, open)
}

func main() {
	run("plain", "headers", "data", "goaway", "data")
	run("no hook", "headers", "bad", "data")

	http2testHookOnPanicMu = new(logMutex)
	run("mutex only", "headers", "bad")

	http2testHookOnPanic = func(sc *http2serverConn, panicVal interface{}) bool {
		fmt.Printf("  hook: %s panicked with %v\n", sc.conn.name, panicVal)
		return false
	}
	run("hook swallows", "headers", "bad", "data")
	run("hook, no panic", "headers")

	http2testHookOnPanic = func(sc *http2serverConn, panicVal interface{}) bool {
		fmt.Printf("  hook: %s panicked with %v; re-panic\n", sc.conn.name, panicVal)
		return true
	}
	run("hook re-panics", "bad")

	http2testHookOnPanicMu = nil
	run("hook without mutex", "data", "bad")
}
