// hello: arguments, an environment variable set by the program itself, and an exit code.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println("hello from Go")
	fmt.Println("args:", len(os.Args)-1, strings.Join(os.Args[1:], "|"))
	os.Setenv("NTRUN_GO_TEST", "value=42")
	fmt.Println("env:", os.Getenv("NTRUN_GO_TEST"))
	v, ok := os.LookupEnv("NTRUN_GO_UNSET_VARIABLE")
	fmt.Printf("unset: %q %v\n", v, ok)
	os.Exit(3)
}
