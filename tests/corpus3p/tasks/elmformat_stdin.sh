# elm-format 0.8.8 (@avh4/elm-format-win32-x64: Haskell, GHC with the UCRT, lld-link): format an
# Elm module read from standard input.
stdin 'module Main exposing (main)\nimport Html exposing (text)\nmain = text "hi"\nadd a b = a+b\n'
run elmformat --stdin
expect_stdout 'module Main exposing (main)\n\nimport Html exposing (text)\n\n\nmain =\n    text "hi"\n\n\nadd a b =\n    a + b\n'
expect_exit 0
