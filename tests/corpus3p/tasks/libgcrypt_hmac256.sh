# hmac256 from libgcrypt 1.10.1 (Debian's libgcrypt-mingw-w64-dev: mingw-w64, msvcrt; the Linux
# build from libgcrypt20-dev): HMAC-SHA256 of two files with a key, with the FIPS self-check key
# (--stdkey), of standard input, and raw (--binary, by digest). The Windows build ends its lines
# with CR LF.
native_crlf
put in.txt 'hello world\n'
put in2.txt 'second file\r\n'
run hmac256 'my key' in.txt in2.txt
expect_stdout 'e246443bff6d8474216d0c35b8f29b071593f94fd4f0a4f6c6f299a72623ef01  in.txt\r\n65dd5f02b50ab80726eed1dcb46ed9cc81f557ad8ea2cafe9773db5c046ee3cc  in2.txt\r\n'
expect_exit 0
run hmac256 --stdkey in.txt
expect_stdout '032b33d43607de7d08bf290e5ebcd4d8fcac389862ef0778c202b202a28e7832  in.txt\r\n'
expect_exit 0
stdin 'abc'
run hmac256 key
expect_stdout '9c196e32dc0175f86f4b1cb89289d6619de6bee699e4c378e68309ed97a1a6ab\r\n'
expect_exit 0
run hmac256 --binary 'my key' in.txt
expect_stdout_sha256 fa36670786820d0ab7b5864c43f20d66da7492eb629a67a3995223857f9cf05d
expect_exit 0
run hmac256 key missing.txt
expect_exit 1
