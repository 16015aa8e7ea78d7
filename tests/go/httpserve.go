// A net/http server for a client in another process (tests/go/http/httpclient.go, natively
// or under ntrun): it listens on 127.0.0.1:0 and writes the port it got to the file named by its
// first argument (written under another name, then renamed, so the client never reads half of
// it). It answers
//
//	GET /n/<i>      the body body(i) below (its length varies with i, 8 B to ~2 KiB)
//	POST /sum/<i>   "<i> <length> <sha256 of the body, hex>\n"
//	GET /quit?expect=<n>  "bye <served>\n", then shuts down gracefully and exits: 0 when it
//	                served exactly n /n and /sum requests, 1 otherwise (lost or repeated ones).
//
// Under ntrun the Go runtime serves it through AcceptEx, overlapped WSARecv/WSASend and a
// completion port (GetQueuedCompletionStatusEx); tests/go/run-go-http.sh runs it.
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// body is what GET /n/<i> answers; the client computes the same.
func body(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "n=%d sq=%d\n", i, i*i)
	for k := 0; k < i%61; k++ {
		fmt.Fprintf(&b, "%d.%d:%08x\n", i, k, uint32(i*2654435761)^uint32(k))
	}
	return b.String()
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: httpserve PORTFILE")
		os.Exit(2)
	}
	var served int64
	quit := make(chan int64, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/n/", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/n/"))
		if err != nil || r.Method != "GET" {
			http.Error(w, "bad request", 400)
			return
		}
		atomic.AddInt64(&served, 1)
		io.WriteString(w, body(i))
	})
	mux.HandleFunc("/sum/", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/sum/"))
		if err != nil || r.Method != "POST" {
			http.Error(w, "bad request", 400)
			return
		}
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		atomic.AddInt64(&served, 1)
		fmt.Fprintf(w, "%d %d %x\n", i, n, h.Sum(nil))
	})
	mux.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) {
		want, err := strconv.ParseInt(r.URL.Query().Get("expect"), 10, 64)
		if err != nil {
			http.Error(w, "bad request", 400)
			return
		}
		got := atomic.LoadInt64(&served)
		fmt.Fprintf(w, "bye %d\n", got)
		select {
		case quit <- want:
		default:
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	tmp := os.Args[1] + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
		fmt.Println("portfile:", err)
		os.Exit(1)
	}
	if err := os.Rename(tmp, os.Args[1]); err != nil {
		fmt.Println("portfile:", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: mux}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	var want int64
	select {
	case want = <-quit:
	case err := <-done: // the listener failed: no request can come
		fmt.Println("serve:", err)
		os.Exit(1)
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		fmt.Println("shutdown:", err)
		os.Exit(1)
	}
	if err := <-done; err != http.ErrServerClosed {
		fmt.Println("serve:", err)
		os.Exit(1)
	}
	got := atomic.LoadInt64(&served)
	fmt.Printf("served %d requests\n", got)
	if got != want {
		fmt.Printf("expected %d\n", want)
		os.Exit(1)
	}
}
