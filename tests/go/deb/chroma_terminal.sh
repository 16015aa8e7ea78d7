# chroma: 256-colour terminal output of a shell script (lexer chosen by the file name), the
# token stream of a TOML file read from standard input (--filename picks the lexer), JSON tokens
# of a C line, and --fail on a file no lexer claims (exit 1, silent).
printf '#!/bin/sh\nfor f in *.txt; do\n  echo "$f: $(wc -l < "$f")"\ndone\n' > count.sh
run chroma -f terminal256 -s solarized-dark count.sh
expect_exit 0
stdin '[server]\nport = 8080 # http\nhosts = ["a", "b"]\n'
run chroma --filename app.toml -f tokens
expect_exit 0
stdin 'int main(void) { return 0; }\n'
run chroma -l c --json
expect_exit 0
put notes.zzq 'just some words\n'
run chroma --fail notes.zzq
expect_exit 1
