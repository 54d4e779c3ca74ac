package deferbench

import (
	"fmt"
	"testing"
	"time"
)

var sink uint64

func benchStatic(b *testing.B, f func(*uint64, uint64) uint64) {
	var c uint64
	var r uint64
	for i := 0; i < b.N; i++ {
		r += f(&c, uint64(i))
	}
	sink += r + c
}

func BenchmarkStatic(b *testing.B) {
	for _, v := range []struct {
		n          int
		open, hand func(*uint64, uint64) uint64
	}{{1, static1, hand1}, {2, static2, hand2}, {8, static8, hand8}} {
		b.Run(fmt.Sprintf("open_coded/%d", v.n), func(b *testing.B) { benchStatic(b, v.open) })
		b.Run(fmt.Sprintf("hand_written/%d", v.n), func(b *testing.B) { benchStatic(b, v.hand) })
	}
}

// BenchmarkLoop reports ns/op per call; compare.sh divides by n for the
// per-defer figure (it also reports ns/defer itself).
func BenchmarkLoop(b *testing.B) {
	for _, n := range []uint64{10, 100, 1000, 100000} {
		for _, v := range []struct {
			name string
			f    func(*uint64, uint64)
		}{{"heap_defer", loopDefers}, {"slice_of_args", loopHand}} {
			b.Run(fmt.Sprintf("%s/%d", v.name, n), func(b *testing.B) {
				var c uint64
				start := time.Now()
				for i := 0; i < b.N; i++ {
					v.f(&c, n)
				}
				elapsed := time.Since(start)
				sink += c
				b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N)/float64(n), "ns/defer")
			})
		}
	}
}

func BenchmarkRetWrap(b *testing.B) {
	for _, p := range []struct {
		name string
		x    uint64
	}{{"ok", 5}, {"err", 0}} {
		for _, v := range []struct {
			name string
			f    func(uint64) (uint64, error)
		}{{"defer_named_result", deferWrap}, {"hand_written", handWrap}} {
			if _, err := v.f(p.x); (err != nil) != (p.x == 0) {
				b.Fatal("wrong result")
			}
			b.Run(v.name+"/"+p.name, func(b *testing.B) {
				var r uint64
				for i := 0; i < b.N; i++ {
					y, _ := v.f(p.x)
					r += y
				}
				sink += r
			})
		}
	}
}

func BenchmarkPanic(b *testing.B) {
	for _, depth := range []uint32{1, 10} {
		b.Run(fmt.Sprintf("defer_recover/%d", depth), func(b *testing.B) {
			var c uint64
			for i := 0; i < b.N; i++ {
				if !catchPanic(&c, depth) {
					b.Fatal("no panic")
				}
			}
			sink += c
		})
	}
}
