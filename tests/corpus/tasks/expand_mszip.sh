# expand of an MSZIP-compressed cabinet (gcab 1.5: gcab -c -z z.cab hello.txt).
put z.cab 'MSCF\000\000\000\000]\000\000\000\000\000\000\000,\000\000\000\000\000\000\000\003\001\001\000\001\000\000\000\000\000\000\000F\000\000\000\001\000\001\000\013\000\000\000\000\000\000\000\000\000"X\203\030 \000hello.txt\000\311\316\240\375\017\000\013\000CK\313H\315\311\311WHNL\342\345\002\000'
run expand z.cab out.txt
expect_stdout ''
expect_exit 0
expect_file out.txt 'hello cab\r\n'
