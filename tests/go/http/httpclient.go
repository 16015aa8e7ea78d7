// The client of tests/go/httpserve.go, run by tests/go/run-go-http.sh natively and under ntrun (a
// Linux and a Windows build): it waits for the server's port file, then sends -n requests from -c
// workers and checks every answer's status and body byte for byte. A plain HTTP/1.1 client over
// net.Conn (no http.Transport, so nothing is retried behind its back: a request that fails is
// lost). Each worker keeps one connection alive and sends most requests on it; every 5th request
// goes on a new connection with "Connection: close" (the server's accept path and its close),
// every 97th request the worker closes its kept connection first (the server sees the client's
// end), every 10th is a POST with a body of up to 60 KiB (reads of several segments), every 13th
// two or three requests pipelined in one write; about one in 100 connections sends half a request
// and resets or closes without a word. At the end it asks /quit?expect=<answered>, and the server
// checks its own count; the kept connections stay open until the server's Shutdown closes them
// (each must see the server's end). Prints what was lost or wrong and the rate (information only,
// not checked); exits 1 on any lost or wrong answer.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// body(i) as tests/go/httpserve.go answers GET /n/<i>.
func body(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "n=%d sq=%d\n", i, i*i)
	for k := 0; k < i%61; k++ {
		fmt.Fprintf(&b, "%d.%d:%08x\n", i, k, uint32(i*2654435761)^uint32(k))
	}
	return b.String()
}

func postBody(i int) []byte {
	n := (i / 10 % 61) * 1000
	b := make([]byte, n)
	for k := range b {
		b[k] = byte('a' + (i+k)%26)
	}
	return b
}

type conn struct {
	c net.Conn
	r *bufio.Reader
}

var (
	addr      string
	timeout   time.Duration
	lost      int64 // no answer (connection error, timeout, bad HTTP)
	wrong     int64 // an answer, but not the right one
	newConn   int64 // connections dialled
	keptMu    sync.Mutex
	keptAtEnd []*conn // each worker's kept connection, open while the server ends
	logMu     sync.Mutex
	logged    int
)

func report(kind string, i int, format string, a ...interface{}) {
	logMu.Lock()
	defer logMu.Unlock()
	if logged < 20 {
		fmt.Printf("%s request %d: %s\n", kind, i, fmt.Sprintf(format, a...))
	}
	logged++
}

func dial() (*conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	atomic.AddInt64(&newConn, 1)
	return &conn{c, bufio.NewReader(c)}, nil
}

// request writes request i to req and returns the body its answer must have.
func request(req *bytes.Buffer, i int, closeConn bool) string {
	if i%10 == 9 {
		pb := postBody(i)
		fmt.Fprintf(req, "POST /sum/%d HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", i, addr, len(pb))
		if closeConn {
			req.WriteString("Connection: close\r\n")
		}
		req.WriteString("\r\n")
		req.Write(pb)
		return fmt.Sprintf("%d %d %x\n", i, len(pb), sha256.Sum256(pb))
	}
	fmt.Fprintf(req, "GET /n/%d HTTP/1.1\r\nHost: %s\r\n", i, addr)
	if closeConn {
		req.WriteString("Connection: close\r\n")
	}
	req.WriteString("\r\n")
	return body(i)
}

// do sends the requests ids (more than one: pipelined, in one write) on c and checks the
// answers; false when the connection is not reusable. Every request not answered is lost.
func do(c *conn, closeConn bool, ids ...int) bool {
	var req bytes.Buffer
	want := make([]string, len(ids))
	for k, i := range ids {
		want[k] = request(&req, i, closeConn && k == len(ids)-1)
	}
	c.c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.c.Write(req.Bytes()); err != nil {
		atomic.AddInt64(&lost, int64(len(ids)))
		report("lost", ids[0], "write: %v", err)
		return false
	}
	for k, i := range ids {
		resp, err := http.ReadResponse(c.r, nil)
		if err != nil {
			atomic.AddInt64(&lost, int64(len(ids)-k))
			report("lost", i, "reading the answer: %v", err)
			return false
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			atomic.AddInt64(&lost, int64(len(ids)-k))
			report("lost", i, "reading the body: %v", err)
			return false
		}
		if resp.StatusCode != 200 || string(got) != want[k] {
			atomic.AddInt64(&wrong, 1)
			report("wrong", i, "status %d, body %q (%d bytes; expected %d)", resp.StatusCode,
				trim(got), len(got), len(want[k]))
			return false
		}
		if resp.Close && k != len(ids)-1 {
			atomic.AddInt64(&lost, int64(len(ids)-k-1))
			report("lost", ids[k+1], "the server closed the connection")
			return false
		}
		if resp.Close {
			return false
		}
	}
	return true
}

// abort opens a connection that asks nothing: every 211th request one that sends half a
// request and resets the connection (SO_LINGER 0), 100 requests later one closed at once.
func abort(i int) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		atomic.AddInt64(&lost, 1)
		report("lost", i, "dial (a connection reset or closed at once): %v", err)
		return
	}
	atomic.AddInt64(&newConn, 1)
	if i%211 == 0 {
		fmt.Fprintf(c, "GET /n/%d HTTP/1.1\r\nHost: ", i)
		time.Sleep(time.Millisecond)
		c.(*net.TCPConn).SetLinger(0)
	}
	c.Close()
}

func trim(b []byte) []byte {
	if len(b) > 60 {
		return b[:60]
	}
	return b
}

func main() {
	portFile := flag.String("portfile", "", "file the server writes its port to")
	n := flag.Int("n", 10000, "requests")
	workers := flag.Int("c", 12, "concurrent workers")
	wait := flag.Duration("wait", 60*time.Second, "how long to wait for the port file")
	aborts := flag.Bool("abort", true, "open the connections that reset or close without a request")
	pid := flag.Int("pid", 0, "the server's process: waiting for the port file ends if it ends")
	flag.DurationVar(&timeout, "timeout", 30*time.Second, "deadline of one request")
	flag.Parse()
	var port int
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		b, err := os.ReadFile(*portFile)
		if err == nil {
			port, err = strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				fmt.Println("bad port file:", err)
				os.Exit(1)
			}
			break
		}
		if *pid != 0 {
			if _, err := os.Stat("/proc/" + strconv.Itoa(*pid)); err != nil {
				fmt.Println("the server ended before writing its port file")
				os.Exit(1)
			}
		}
		if time.Since(start) > *wait {
			fmt.Println("no port file after", *wait)
			os.Exit(1)
		}
	}
	addr = "127.0.0.1:" + strconv.Itoa(port)

	var next int64 = -1
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var kept *conn
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= *n {
					break
				}
				if *aborts && (i%211 == 0 || i%211 == 100) {
					abort(i)
				}
				if i%5 == 4 { // a connection of its own, closed by the server
					c, err := dial()
					if err != nil {
						atomic.AddInt64(&lost, 1)
						report("lost", i, "dial: %v", err)
						continue
					}
					do(c, true, i)
					c.c.Close()
					continue
				}
				if kept != nil && i%97 == 0 {
					kept.c.Close()
					kept = nil
				}
				if kept == nil {
					c, err := dial()
					if err != nil {
						atomic.AddInt64(&lost, 1)
						report("lost", i, "dial: %v", err)
						continue
					}
					kept = c
				}
				ids := []int{i}
				if i%13 == 1 { // pipelined: two or three requests in one write
					for k := 0; k < 1+i%2; k++ {
						if j := int(atomic.AddInt64(&next, 1)); j < *n {
							ids = append(ids, j)
						}
					}
				}
				if !do(kept, false, ids...) {
					kept.c.Close()
					kept = nil
				}
			}
			if kept != nil { // left open: the server's Shutdown closes it
				keptMu.Lock()
				keptAtEnd = append(keptAtEnd, kept)
				keptMu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	answered := int64(*n) - lost
	fmt.Printf("%d requests, %d workers, %d connections: %d lost, %d wrong\n", *n, *workers,
		newConn, lost, wrong)
	fmt.Fprintf(os.Stderr, "rate: %.0f requests/s (%.2f s)\n", float64(*n)/elapsed.Seconds(),
		elapsed.Seconds())

	// /quit: the server compares the requests it answered with ours
	status := 0
	c, err := dial()
	if err == nil {
		c.c.SetDeadline(time.Now().Add(timeout))
		fmt.Fprintf(c.c, "GET /quit?expect=%d HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
			answered, addr)
		var resp *http.Response
		resp, err = http.ReadResponse(c.r, nil)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Printf("quit: %d %s", resp.StatusCode, b)
		}
		c.c.Close()
	}
	if err != nil {
		fmt.Println("quit:", err)
		status = 1
	}
	// the server's Shutdown closes the idle connections left open: each sees its end
	for _, k := range keptAtEnd {
		k.c.SetDeadline(time.Now().Add(timeout))
		if b, err := k.r.ReadByte(); err != io.EOF {
			fmt.Printf("a kept connection: %q %v instead of the server's end\n", b, err)
			status = 1
		}
		k.c.Close()
	}
	if lost != 0 || wrong != 0 {
		status = 1
	}
	os.Exit(status)
}
