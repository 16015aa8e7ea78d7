# pnpm 9.1.2 (@pnpm/win-x64: pnpm's JavaScript inside a Node.js 18 packed by pkg (a virtual file
# system in the exe), MSVC 14.29, static CRT; the Linux build of the same release for the
# reference): --version, init (package.json named after the folder, "cwd"), a script run through
# the shell (ntrun's cmd.exe on Windows, whose echo ends its line with CR LF), and a failing
# test script (exit 1). Node 18's c-ares looks up iphlpapi!GetNetworkParams when its first resolver is made, at start-up here,
# and every command failed with EADDRGETNETWORKPARAMS without it.
run pnpm --version
expect_stdout '9.1.2\n'
expect_exit 0
run pnpm init
expect_stdout 'Wrote to @CWD@\\package.json\n\n{\n  "name": "cwd",\n  "version": "1.0.0",\n  "description": "",\n  "main": "index.js",\n  "scripts": {\n    "test": "echo \\"Error: no test specified\\" && exit 1"\n  },\n  "keywords": [],\n  "author": "",\n  "license": "ISC"\n}\n'
expect_exit 0
expect_file package.json '{\n  "name": "cwd",\n  "version": "1.0.0",\n  "description": "",\n  "main": "index.js",\n  "scripts": {\n    "test": "echo \\"Error: no test specified\\" && exit 1"\n  },\n  "keywords": [],\n  "author": "",\n  "license": "ISC"\n}\n'
put package.json '{ "name": "cwd", "version": "1.0.0", "scripts": { "hello": "echo hello from a script", "test": "exit 1" } }\n'
run pnpm run hello
expect_stdout '\n> cwd@1.0.0 hello @CWD@\n> echo hello from a script\n\nhello from a script\r\n'
expect_exit 0
run pnpm run test
expect_exit 1
differs native 'paths with / (Wrote to, the script banner)'
differs wine 'Wine 8.0: exits 216 at once, printing nothing'
