# dumpsexp from libgcrypt 1.10.1 (Debian's libgcrypt-mingw-w64-dev: mingw-w64, msvcrt; the Linux
# build from libgcrypt20-dev): dumps of S-expressions, libgcrypt's key format: a canonical RSA
# public key with binary lengths, the same with --advanced, an advanced-syntax one (--advanced),
# a cut one from standard input; --assume-hex on what is not hex (the error on stderr). The
# Windows build ends its lines with CR LF.
native_crlf
printf '(7:private-key(3:rsa(1:n9:\000\305\172\022\064\126\170\232\274)(1:e3:\001\000\001)))' > key.sexp
put adv.sexp '(data\n (flags pkcs1)\n (hash sha256 #0102030405#)\n (label "hi there"))\n'
run dumpsexp key.sexp
expect_stdout_sha256 48f6fa459c3cfca3cb23db735f1efa4658a8193411384036076f26d04d5103f0
expect_exit 0
run dumpsexp --advanced adv.sexp
expect_stdout_sha256 60d15e928560f67df4934f8f4c75e37c5b96633cfaa9cfce5ea7f6429a455eef
expect_exit 0
stdin '(3:abc'
run dumpsexp
expect_stdout '00000000  28 33 3a 61 62 63                                 |(3:abc|\r\n'
expect_exit 0
run dumpsexp --assume-hex adv.sexp
expect_stdout ''
expect_exit 0
