// An net/http server on 127.0.0.1:0 and a client in the same program: GETs over keep-alive
// connections, a POST of 256 KiB echoed back as a digest, a 404, many concurrent requests,
// and a graceful Shutdown.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s\n", r.URL.Query().Get("n"))
	})
	mux.HandleFunc("/sum", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "%d %x\n", len(b), sha256.Sum256(b))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()

	get := func(path string) string {
		resp, err := http.Get(base + path)
		if err != nil {
			return "error: " + err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return fmt.Sprintf("%d %q", resp.StatusCode, b)
	}
	for i := 0; i < 5; i++ {
		fmt.Println(get(fmt.Sprintf("/hello?n=%d", i)))
	}
	fmt.Println(get("/missing"))

	body := bytes.Repeat([]byte("ntrun-"), 256*1024/6)
	resp, err := http.Post(base+"/sum", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		fmt.Println("post:", err)
		os.Exit(1)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("post: %d %s", resp.StatusCode, b)

	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := get(fmt.Sprintf("/hello?n=c%02d", i))
			mu.Lock()
			got = append(got, s)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Strings(got)
	fmt.Println("concurrent:", len(got), "first", got[0], "last", got[len(got)-1])

	http.DefaultClient.CloseIdleConnections()
	if err := srv.Shutdown(context.Background()); err != nil {
		fmt.Println("shutdown:", err)
		os.Exit(1)
	}
	fmt.Println("shutdown ok")
}
