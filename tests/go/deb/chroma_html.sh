# chroma (syntax highlighter): a Go file to a full HTML page (monokai style, classes and CSS),
# then a Python file to an HTML fragment with line numbers, inline styles and a highlighted
# line, then the CSS of a style alone.
cat > hello.go <<'EOF'
package main

import "fmt"

// main prints a greeting.
func main() {
	x := 42
	fmt.Printf("x = %d\n", x)
}
EOF
cat > sq.py <<'EOF'
def sq(x):
    """Square x."""
    return x ** 2  # power

print([sq(i) for i in range(3)])
EOF
run chroma --formatter html --style monokai hello.go
expect_exit 0
run chroma -f html --html-only --html-lines --html-inline-styles --html-highlight 3 -s github sq.py
expect_exit 0
run chroma --html-styles -s dracula
expect_exit 0
