# The Elm compiler 0.19.1 (@lydell/elm_win32_x64 0.19.1-1: Haskell, GHC 8.4.3, GNU ld 2.29,
# msvcrt; an older GHC run-time than elm-format's), offline: its version, `elm make` outside a
# project (exit 1; "NO elm.json FILE" on stderr) and in a project whose elm.json lacks elm/core
# (its dependency check done, shown on stdout with carriage returns; exit 1, "MISSING
# DEPENDENCY" on stderr). Compiling needs elm/core from the package server. ELM_HOME is the
# task's own folder. GHC's Win32 package calls gdi32!DeleteObject as the program exits.
export ELM_HOME=elm-home
run elm --version
expect_stdout '0.19.1\r\n'
expect_exit 0
put src/Main.elm 'module Main exposing (main)\n\nmain =\n    1\n'
run elm make src/Main.elm
expect_stdout ''
expect_exit 1
put elm.json '{\n    "type": "application",\n    "source-directories": [ "src" ],\n    "elm-version": "0.19.1",\n    "dependencies": { "direct": {}, "indirect": {} },\n    "test-dependencies": { "direct": {}, "indirect": {} }\n}\n'
run elm make src/Main.elm
expect_stdout '\r                            \rDependencies ready!\r\n'
expect_exit 1
differs native 'LF line ends'
