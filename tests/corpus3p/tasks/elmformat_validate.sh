# elm-format 0.8.8 (Haskell): --validate reports, as JSON, a file not in elm-format's style (exit 1).
# The Linux build ends lines with LF.
native_crlf
put Main.elm 'module Main exposing (main)\nimport Html exposing (text)\nmain = text "hi"\nadd a b = a+b\n'
run elmformat --validate Main.elm
expect_stdout '[{"path":"Main.elm","message":"File is not formatted with elm-format-0.8.8 --elm-version=0.19"}\r\n]\r\n'
expect_exit 1
