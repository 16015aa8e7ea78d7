# reg export writes a key and its subkeys as a .reg file: UTF-16 with a byte-order mark, the
# "Windows Registry Editor Version 5.00" header, dword: and quoted strings with \ and " escaped,
# @ for a default value. /y overwrites without asking.
key='HKCU\Software\ntrun-corpus-export'
run reg delete "$key" /f
run reg add "$key" /v Num /t REG_DWORD /d 7 /f
expect_exit 0
run reg add "$key" /v Str /d 'a"b\c' /f
expect_exit 0
run reg add "$key\\Sub" /f
expect_exit 0
put out.reg 'old'
run reg export "$key" out.reg /y
expect_stdout ''
expect_exit 0
iconv -f UTF-16LE -t UTF-8 out.reg > out.txt
expect_file out.txt '\357\273\277Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\ntrun-corpus-export]\r\n"Num"=dword:00000007\r\n"Str"="a\\"b\\\\c"\r\n\r\n[HKEY_CURRENT_USER\\Software\\ntrun-corpus-export\\Sub]\r\n@=""\r\n\r\n'
run reg delete "$key" /f
expect_exit 0
