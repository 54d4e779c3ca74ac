// Case order_saga: a multi-step order (reserve each line in a loop, charge, ship) where each
// step queues its own undo, run only if the function fails (`defer func() { if err != nil
// { undo } }()`, fndefer's errdefer!), a later defer that recovers a panic into err (so the
// earlier undos run), and one that turns a duplicate into success (so they do not).
// Held-out style twin written from the user docs only.
package main

import (
	"errors"
	"fmt"
	"sort"
)

var ErrDuplicate = errors.New("duplicate order")

type Line struct {
	Item  string
	Qty   int
	Price int
}

type Store struct {
	stock   map[string]int
	balance map[string]int
	journal []string
}

func (s *Store) logf(format string, args ...interface{}) {
	s.journal = append(s.journal, fmt.Sprintf(format, args...))
}

func (s *Store) reserve(item string, qty int) error {
	if s.stock[item] < qty {
		return fmt.Errorf("out of %s (have %d, want %d)", item, s.stock[item], qty)
	}
	s.stock[item] -= qty
	s.logf("reserve %s x%d", item, qty)
	return nil
}

func (s *Store) release(item string, qty int) {
	s.stock[item] += qty
	s.logf("release %s x%d", item, qty)
}

func (s *Store) charge(user string, amount int) error {
	if s.balance[user] < amount {
		return fmt.Errorf("charge %s: insufficient funds (%d < %d)", user, s.balance[user], amount)
	}
	s.balance[user] -= amount
	s.logf("charge %s %d", user, amount)
	return nil
}

func (s *Store) refund(user string, amount int) {
	s.balance[user] += amount
	s.logf("refund %s %d", user, amount)
}

func (s *Store) ship(user string, lines []Line) error {
	if user == "mallory" {
		panic("label printer on fire")
	}
	if user == "dup" {
		return ErrDuplicate
	}
	s.logf("ship %d lines to %s", len(lines), user)
	return nil
}

func (s *Store) PlaceOrder(user string, lines []Line) (total int, err error) {
	s.logf("begin %s", user)
	defer func() {
		if err != nil {
			s.logf("end %s: %v", user, err)
		} else {
			s.logf("end %s: total %d", user, total)
		}
	}()
	for _, l := range lines {
		l := l
		if err := s.reserve(l.Item, l.Qty); err != nil {
			return 0, fmt.Errorf("reserve: %w", err)
		}
		defer func() {
			if err != nil {
				s.release(l.Item, l.Qty)
			}
		}()
		total += l.Qty * l.Price
	}
	charged := total
	if err := s.charge(user, charged); err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			s.refund(user, charged)
		}
	}()
	defer func() {
		if errors.Is(err, ErrDuplicate) {
			s.logf("duplicate for %s treated as success", user)
			err = nil
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ship: %v", r)
			total = 0
		}
	}()
	if err := s.ship(user, lines); err != nil {
		return total, err
	}
	return total, nil
}

func (s *Store) dump() {
	for _, line := range s.journal {
		fmt.Println("   ", line)
	}
	s.journal = nil
	items := make([]string, 0, len(s.stock))
	for k := range s.stock {
		items = append(items, k)
	}
	sort.Strings(items)
	for _, k := range items {
		fmt.Printf("  stock %s=%d\n", k, s.stock[k])
	}
	users := make([]string, 0, len(s.balance))
	for k := range s.balance {
		users = append(users, k)
	}
	sort.Strings(users)
	for _, k := range users {
		fmt.Printf("  balance %s=%d\n", k, s.balance[k])
	}
}

func main() {
	s := &Store{
		stock:   map[string]int{"apple": 5, "pear": 2},
		balance: map[string]int{"ann": 100, "bob": 10, "mallory": 100, "dup": 50},
	}
	orders := []struct {
		user  string
		lines []Line
	}{
		{"ann", []Line{{"apple", 2, 3}, {"pear", 1, 10}}},
		{"ann", []Line{{"apple", 1, 3}, {"pear", 5, 10}}},
		{"bob", []Line{{"apple", 1, 3}, {"pear", 1, 10}}},
		{"mallory", []Line{{"apple", 2, 3}}},
		{"dup", []Line{{"pear", 1, 10}}},
	}
	for _, o := range orders {
		total, err := s.PlaceOrder(o.user, o.lines)
		fmt.Println("order", o.user, "->", total, err)
		s.dump()
	}
}
