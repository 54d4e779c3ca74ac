// Case mutex_unlock: `mu.Lock(); defer mu.Unlock()` in methods with several exits,
// including a recovered panic while the lock is held. The mutex records lock/unlock so
// the output shows that every path unlocks. Idiom (sync.Mutex, Effective Go).
package main

import (
	"errors"
	"fmt"
)

type Mutex struct {
	locked bool
	events int
}

func (m *Mutex) Lock() {
	if m.locked {
		panic("deadlock: already locked")
	}
	m.locked = true
	m.events++
}

func (m *Mutex) Unlock() {
	if !m.locked {
		panic("unlock of unlocked mutex")
	}
	m.locked = false
	m.events++
}

type Account struct {
	mu      Mutex
	balance int
}

func (a *Account) Withdraw(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n <= 0 {
		return errors.New("invalid amount")
	}
	if n > a.balance {
		return fmt.Errorf("insufficient funds: have %d, want %d", a.balance, n)
	}
	a.balance -= n
	return nil
}

func (a *Account) MustDeposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n > 1000 {
		panic(fmt.Sprintf("deposit %d too large", n))
	}
	a.balance += n
}

func safeDeposit(a *Account, n int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r, "- locked:", a.mu.locked)
		}
	}()
	a.MustDeposit(n)
}

func main() {
	a := &Account{}
	safeDeposit(a, 100)
	safeDeposit(a, 5000)
	for _, n := range []int{30, 0, 500, 70} {
		err := a.Withdraw(n)
		fmt.Println("withdraw", n, "err:", err, "balance:", a.balance, "locked:", a.mu.locked)
	}
	fmt.Println("lock events:", a.mu.events)
}
