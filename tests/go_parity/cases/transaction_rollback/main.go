// Case transaction_rollback: roll a transaction back when the function fails (errdefer):
// `defer func() { if err != nil { tx.Rollback() } }()`, and on a panic, which the caller
// recovers. Idiom (database/sql transactions).
package main

import (
	"errors"
	"fmt"
)

type Tx struct {
	id     int
	ops    []string
	status string
}

func Begin(id int) *Tx {
	fmt.Println("begin", id)
	return &Tx{id: id, status: "open"}
}

func (tx *Tx) Exec(op string) error {
	if op == "bad" {
		return errors.New("syntax error in " + op)
	}
	if op == "crash" {
		panic("driver crashed")
	}
	tx.ops = append(tx.ops, op)
	return nil
}

func (tx *Tx) Rollback() {
	tx.status = "rolled back"
	fmt.Println("rollback", tx.id, "after", len(tx.ops), "ops")
}

func (tx *Tx) Commit() error {
	tx.status = "committed"
	fmt.Println("commit", tx.id, "with", len(tx.ops), "ops")
	return nil
}

func transfer(id int, ops []string) (err error) {
	tx := Begin(id)
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			tx.Rollback()
			panic(r)
		}
	}()
	for _, op := range ops {
		if err := tx.Exec(op); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func run(id int, ops []string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("transfer", id, "panicked:", r)
		}
	}()
	err := transfer(id, ops)
	fmt.Println("transfer", id, "err:", err)
}

func main() {
	run(1, []string{"debit", "credit"})
	run(2, []string{"debit", "bad", "credit"})
	run(3, []string{"debit", "crash"})
}
