# expand CAB FILE extracts a one-file cabinet (uncompressed; made by gcab 1.5:
# gcab -c s.cab hello.txt) to FILE.
put s.cab 'MSCF\000\000\000\000Y\000\000\000\000\000\000\000,\000\000\000\000\000\000\000\003\001\001\000\001\000\000\000\000\000\000\000F\000\000\000\001\000\000\000\013\000\000\000\000\000\000\000\000\000"X\203\030 \000hello.txt\000\006Hf\015\013\000\013\000hello cab\015\012'
run expand s.cab out.txt
expect_stdout ''
expect_exit 0
expect_file out.txt 'hello cab\r\n'
