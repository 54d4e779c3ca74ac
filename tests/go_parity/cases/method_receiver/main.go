// Case method_receiver: deferred method calls. A pointer receiver is evaluated at the
// defer statement and the method sees the final state; a value receiver is copied at the
// defer statement. Methods that defer on their own receiver (s.depth-- on exit).
// Idiom; runtime/defer_test.go TestIssue37688 (defer ap.method1()/method2() in loops).
package main

import "fmt"

type Counter struct {
	name string
	n    int
}

func (c *Counter) ReportPtr() {
	fmt.Println("pointer receiver:", c.name, c.n)
}

func (c Counter) ReportValue() {
	fmt.Println("value receiver:", c.name, c.n)
}

func (c *Counter) Add(k int) {
	c.n += k
}

func useCounter() {
	c := Counter{name: "c"}
	defer c.ReportPtr()
	defer c.ReportValue()
	c.Add(1)
	c.Add(2)
	fmt.Println("body:", c.n)
}

type Server struct {
	depth int
	log   []string
}

func (s *Server) enter(name string) {
	s.log = append(s.log, fmt.Sprintf("%*s%s", s.depth*2, "", name))
}

func (s *Server) Handle(n int) {
	s.depth++
	defer func() { s.depth-- }()
	defer s.enter(fmt.Sprint("leave ", n))
	s.enter(fmt.Sprint("enter ", n))
	if n > 0 {
		s.Handle(n - 1)
	}
}

func (s Server) Summary() (out string) {
	defer func() { out += fmt.Sprint(" (depth ", s.depth, ")") }()
	return fmt.Sprint(len(s.log), " log lines")
}

func main() {
	useCounter()
	s := &Server{}
	s.Handle(2)
	for _, line := range s.log {
		fmt.Println(line)
	}
	fmt.Println(s.Summary())
}
