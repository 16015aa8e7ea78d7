# Wizer 10.0.0 (@bytecodealliance/wizer-win32-x64: the WebAssembly pre-initializer, Rust with
# wasmtime and its Cranelift JIT, MSVC): it compiles a module to x86-64 code in memory, runs its
# wizer.initialize export and writes the module back with the memory and globals as that run
# left them (a new data segment, a global's new value, the export gone). The modules are
# written here byte by byte (no WebAssembly toolchain needed); the outputs are compared by
# digest with the Linux build's. Files, and standard input to standard output (binary); a WASI
# initializer (--allow-wasi) writing to standard output through fd_write, and the same module
# refused without --allow-wasi (exit 1); an initializer reading far past its 64 KiB linear
# memory traps: wasmtime catches the access violation in its guard region with a vectored
# exception handler and reports "out of bounds memory access" (exit 1, the output left empty).
# (memory (export "memory") 1) (global (export "g") (mut i32) 0)
# (func (export "wizer.initialize") (i32.store (i32.const 16) (i32.const 42)) (global.set 0 (i32.const 7)))
# (func (export "get") (result i32) (global.get 0))
m='\0asm\1\0\0\0\1\10\2\140\0\0\140\0\1\177\3\3\2\0\1\5\3\1\0\1\6\6\1\177\1\101\0\13\7\47\4\6memory\2\0\1g\3\0\20wizer.initialize\0\0\3get\0\1\12\24\2\15\0\101\20\101\52\66\2\0\101\7\44\0\13\4\0\43\0\13'
# the same with an initializer that loads from 0x7fff0000
oob='\0asm\1\0\0\0\1\10\2\140\0\0\140\0\1\177\3\3\2\0\1\5\3\1\0\1\6\6\1\177\1\101\0\13\7\47\4\6memory\2\0\1g\3\0\20wizer.initialize\0\0\3get\0\1\12\23\2\14\0\101\200\200\374\377\7\50\2\0\32\13\4\0\43\0\13'
# (import "wasi_snapshot_preview1" "fd_write") called as fd_write(1, iovec at 0, 1, &written 8);
# the iovec points at "hello from init\n" (a data segment at 0)
wasi='\0asm\1\0\0\0\1\14\2\140\0\0\140\4\177\177\177\177\1\177\2\43\1\26wasi_snapshot_preview1\10fd_write\0\1\3\2\1\0\5\3\1\0\1\7\35\2\6memory\2\0\20wizer.initialize\0\1\12\17\1\15\0\101\1\101\0\101\1\101\10\20\0\32\13\13\46\1\0\101\0\13\40\20\0\0\0\20\0\0\0\0\0\0\0\0\0\0\0hello from init\n'
put m.wasm "$m"
put oob.wasm "$oob"
put wasi.wasm "$wasi"
run wizer --version
expect_stdout 'wizer 10.0.0\n'
expect_exit 0
run wizer m.wasm -o out.wasm
expect_stdout ''
expect_exit 0
expect_sha256 out.wasm 13d6f45d12c104c9c442513583923387bca7b29d96045bd712acc252a7a5f403
stdin "$m"
run wizer
expect_stdout_sha256 13d6f45d12c104c9c442513583923387bca7b29d96045bd712acc252a7a5f403
expect_exit 0
run wizer --allow-wasi wasi.wasm -o wasi.out.wasm
expect_stdout 'hello from init\n'
expect_exit 0
expect_sha256 wasi.out.wasm d0cfb8159b46ef960650a8b17950bc88512b9fb4753e268cd37a5e606ec16fb9
run wizer wasi.wasm -o nowasi.out.wasm
expect_stdout ''
expect_exit 1
run wizer oob.wasm -o oob.out.wasm
expect_stdout ''
expect_exit 1
expect_file oob.out.wasm ''
