// preempt: goroutines in tight loops without function calls can only be stopped by the
// runtime's asynchronous preemption (SuspendThread/GetThreadContext/SetThreadContext on
// Windows, signals on Linux). With one P, the main goroutine runs again after a sleep only if
// the spinning goroutine is preempted, and runtime.GC's stop-the-world needs it too.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

var sink uint64

func spin(n *uint64) {
	x := uint64(1)
	for {
		x = x*6364136223846793005 + 1442695040888963407
		if x == 0 {
			atomic.AddUint64(n, 1)
		}
		sink = x
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	var n uint64
	for i := 0; i < 2; i++ {
		go spin(&n)
	}
	for round := 0; round < 3; round++ {
		time.Sleep(20 * time.Millisecond)
		runtime.GC()
		fmt.Println("main ran again, round", round)
	}
	runtime.GOMAXPROCS(2)
	start := time.Now()
	timer := time.NewTimer(30 * time.Millisecond)
	<-timer.C
	if time.Since(start) < 30*time.Millisecond {
		fmt.Println("timer fired early")
	}
	runtime.GC()
	fmt.Println("done")
}
