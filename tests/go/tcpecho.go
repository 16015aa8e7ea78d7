// A TCP echo over loopback with the net package: a listener on 127.0.0.1:0, three clients
// dialling it (ConnectEx and AcceptEx with the completion port under Windows), line echo, a
// 1 MiB message (sends that do not complete at once), a read deadline that expires (CancelIoEx),
// half-close (CloseWrite), and a dial to a closed port (refused).
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

func serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if strings.HasPrefix(line, "BIG ") {
			var n int
			fmt.Sscanf(line, "BIG %d", &n)
			buf := make([]byte, n)
			if _, err := io.ReadFull(r, buf); err != nil {
				fmt.Println("server: big read:", err)
				return
			}
			sum := sha256.Sum256(buf)
			fmt.Fprintf(c, "%x\n", sum[:8])
			continue
		}
		c.Write([]byte(strings.ToUpper(line)))
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	fmt.Println("listening on 127.0.0.1:", ln.Addr().(*net.TCPAddr).Port != 0)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			fmt.Println("dial:", err)
			os.Exit(1)
		}
		r := bufio.NewReader(c)
		for j := 0; j < 3; j++ {
			fmt.Fprintf(c, "hello %d %d\n", i, j)
			line, err := r.ReadString('\n')
			if err != nil {
				fmt.Println("read:", err)
				os.Exit(1)
			}
			fmt.Print(line)
		}
		c.Close()
	}

	// a large message: the writes pend and complete through the port
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println("dial:", err)
		os.Exit(1)
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 65536)
	fmt.Fprintf(c, "BIG %d\n", len(big))
	if _, err := c.Write(big); err != nil {
		fmt.Println("big write:", err)
		os.Exit(1)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	sum := sha256.Sum256(big)
	fmt.Println("big echo sum matches:", err == nil && strings.TrimSpace(line) == fmt.Sprintf("%x", sum[:8]))

	// a read that times out: the pending receive is cancelled
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	var one [1]byte
	_, err = c.Read(one[:])
	fmt.Println("read deadline:", errors.Is(err, os.ErrDeadlineExceeded))
	c.SetReadDeadline(time.Time{})
	fmt.Fprintf(c, "after deadline\n")
	line, err = bufio.NewReader(c).ReadString('\n')
	fmt.Print("after deadline reply: ", line)

	// half-close: the server sees end of file and closes, the client reads EOF
	c.(*net.TCPConn).CloseWrite()
	n, err := c.Read(one[:])
	fmt.Println("after CloseWrite:", n, err == io.EOF)
	c.Close()

	addr := ln.Addr().String()
	ln.Close()
	_, err = net.Dial("tcp", addr)
	fmt.Println("dial to a closed port fails:", err != nil)
}
