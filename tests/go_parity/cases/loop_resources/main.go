// Case loop_resources: defers inside loops over slices: one `defer c.Close()` per dialled
// connection, kept open (and shared through a slice) until the function returns; deferred
// calls whose arguments are evaluated per iteration next to closures that read a running total
// at exit (per-iteration copies `i, name := i, name`); `continue`/`break` past defers; a
// later defer overriding the named result; nested loops queueing calls.
// Held-out style twin written from the user docs only.
package main

import "fmt"

type Conn struct {
	id     int
	sent   []string
	closed bool
}

func dial(id int) *Conn {
	fmt.Println("dial", id)
	return &Conn{id: id}
}

func (c *Conn) Send(msg string) {
	if c.closed {
		panic(fmt.Sprintf("send on closed conn %d", c.id))
	}
	c.sent = append(c.sent, msg)
}

func (c *Conn) Close() {
	c.closed = true
	fmt.Printf("close conn %d after %d messages\n", c.id, len(c.sent))
}

// broadcast opens one connection per peer; all stay open until it returns.
func broadcast(peers []int, msgs []string) (sent int) {
	var conns []*Conn
	for _, p := range peers {
		c := dial(p)
		defer c.Close()
		conns = append(conns, c)
	}
	for _, m := range msgs {
		for _, c := range conns {
			c.Send(m)
			sent++
		}
	}
	fmt.Println("broadcast done")
	return sent
}

func processBatch(names []string) (processed int) {
	total := 0
	for i, name := range names {
		i, name := i, name
		if name == "" {
			fmt.Println("skip empty at", i)
			continue
		}
		defer fmt.Println("deferred arg:", i, name, "total", total)
		defer func() {
			fmt.Println("deferred closure:", i, name, "total", total)
		}()
		total += len(name)
		if name == "stop" {
			break
		}
	}
	defer func() {
		processed = total
	}()
	fmt.Println("batch loop done, total", total)
	return -1
}

func grid(rows, cols int) {
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if (r+c)%2 == 1 {
				continue
			}
			defer fmt.Printf("cell(%d,%d) ", r, c)
		}
		defer fmt.Println("| row", r)
	}
	fmt.Println("grid queued")
}

func main() {
	fmt.Println("sent", broadcast([]int{1, 2, 3}, []string{"hi", "bye"}))
	fmt.Println("processed", processBatch([]string{"ab", "", "cde", "stop", "never"}))
	grid(3, 3)
	fmt.Println("end")
}
