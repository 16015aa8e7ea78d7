# elm-format 0.8.8 (Haskell): format a file in place (--yes: no confirmation asked).
differs native "the Linux build ends the line it prints with LF"
put Main.elm 'module Main exposing (main)\nimport Html exposing (text)\nmain = text "hi"\nadd a b = a+b\n'
run elmformat --yes Main.elm
expect_stdout 'Processing file Main.elm\r\n'
expect_exit 0
expect_file Main.elm 'module Main exposing (main)\n\nimport Html exposing (text)\n\n\nmain =\n    text "hi"\n\n\nadd a b =\n    a + b\n'
