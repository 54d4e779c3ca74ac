// Case session_receivers: deferred method calls on struct pointers that the body keeps
// mutating: `defer s.End()` on a pointer parameter, `defer s.stats.Print(..)` with a value
// receiver (copied at the defer), `defer s.out.Flush()` whose pointer field is evaluated at the
// defer although the body later rotates s.out to a new buffer, and a local buffer flushed at exit.
// Held-out style twin written from the user docs only.
package main

import "fmt"

type Stats struct {
	reads, writes int
}

func (st Stats) Print(label string) {
	fmt.Printf("  stats %s: reads=%d writes=%d\n", label, st.reads, st.writes)
}

type Buffer struct {
	name    string
	pending []string
	flushed int
}

func NewBuffer(name string) *Buffer {
	return &Buffer{name: name}
}

func (b *Buffer) Write(s string) {
	b.pending = append(b.pending, s)
}

func (b *Buffer) Flush() {
	fmt.Printf("  flush %s: %v\n", b.name, b.pending)
	b.flushed += len(b.pending)
	b.pending = nil
}

type Session struct {
	user  string
	state string
	stats Stats
	out   *Buffer
}

func (s *Session) Read(key string) string {
	s.stats.reads++
	return key + "=" + fmt.Sprint(len(key))
}

func (s *Session) End() {
	fmt.Printf("  end session %s state=%s reads=%d out=%s\n", s.user, s.state, s.stats.reads, s.out.name)
}

func handle(s *Session, keys []string, rotateAfter int) {
	defer s.End()
	defer s.stats.Print("at start")
	defer s.out.Flush()
	audit := NewBuffer("audit-" + s.user)
	defer audit.Flush()
	s.state = "busy"
	for i, k := range keys {
		if i == rotateAfter {
			audit.Write("rotate")
			s.out = NewBuffer(s.out.name + "'")
		}
		s.out.Write(s.Read(k))
		s.stats.writes++
	}
	audit.Write(fmt.Sprint("wrote ", s.stats.writes))
	s.state = "idle"
	defer s.stats.Print("at end")
}

func main() {
	s := &Session{user: "ann", out: NewBuffer("main")}
	handle(s, []string{"a", "bb", "ccc"}, -1)
	fmt.Println("after 1:", s.out.name, len(s.out.pending))
	first := s.out
	handle(s, []string{"dd", "e", "ffff"}, 2)
	fmt.Println("after 2:", s.out.name, len(s.out.pending), "first flushed", first.flushed)
	s.out.Flush()
}
