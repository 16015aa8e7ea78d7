// goroutines: many goroutines, channels, a WaitGroup, a mutex, time.Sleep, timers and tickers,
// and a CPU-bound loop long enough for the runtime to preempt it.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	// Fan out and collect over a channel.
	results := make(chan int, 100)
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i%5) * time.Millisecond)
			results <- i * i
		}(i)
	}
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Println("sum of squares:", sum)

	// A mutex-protected counter.
	var mu sync.Mutex
	counter := 0
	var wg2 sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for j := 0; j < 10000; j++ {
				mu.Lock()
				counter++
				mu.Unlock()
				if j%1000 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg2.Wait()
	fmt.Println("counter:", counter)

	// Timers, a ticker and select with a timeout.
	start := time.Now()
	timer := time.NewTimer(30 * time.Millisecond)
	ticker := time.NewTicker(5 * time.Millisecond)
	ticks := 0
loop:
	for {
		select {
		case <-ticker.C:
			ticks++
		case <-timer.C:
			break loop
		}
	}
	ticker.Stop()
	fmt.Println("timer fired after ticks:", ticks > 0, time.Since(start) >= 30*time.Millisecond)
	select {
	case <-time.After(20 * time.Millisecond):
		fmt.Println("time.After: fired")
	case <-make(chan int):
		fmt.Println("impossible")
	}

	// CPU-bound goroutines beside a sleeper: needs preemption to make progress fairly.
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func() { done <- fib(30) }()
	}
	for i := 0; i < 4; i++ {
		fmt.Println("fib(30) =", <-done)
	}
	runtime.GC()
	fmt.Println("done")
}
