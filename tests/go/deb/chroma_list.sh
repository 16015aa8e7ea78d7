# chroma --list: every lexer (names, aliases, file name patterns), style and formatter it knows
# (about 800 lines); then an unknown lexer, refused with exit 1 and the list on stderr.
put a.txt 'x\n'
run chroma --list
expect_exit 0
run chroma -l nosuchlexer a.txt
expect_exit 1
