# 7-Zip 21.07 (7zip-bin, MSVC): the CRC32 of a file.
# The Linux build in 7zip-bin is p7zip 16.02, which prints the same hashes with LF line ends.
native_crlf
put a.txt 'hello\n'
run 7za h -ba a.txt
expect_stdout '363A3020             6  a.txt\r\n'
expect_exit 0
