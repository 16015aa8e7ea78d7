# CMake 4.0.2: a script run with -P: string(), math(), list(), file(WRITE/READ/APPEND/GLOB/SHA256/
# MD5/SIZE/MAKE_DIRECTORY/REMOVE), string(SHA512/REGEX), foreach and if; message(STATUS) goes to
# stdout with "-- " before it. file(WRITE/APPEND) write in text mode on Windows: CRLF.
differs native "file(WRITE) on Linux writes LF, so the file's size and digests differ"
put s.cmake 'string(TOUPPER "hello" up)
string(REPLACE "l" "L" rep "hello")
string(LENGTH "hello" len)
string(SUBSTRING "abcdefgh" 2 3 sub)
string(REGEX MATCHALL "[0-9]+" nums "a1b22c333")
string(SHA512 s512 "abc")
math(EXPR x "(3 * 7 + 1) << 2" OUTPUT_FORMAT HEXADECIMAL)
set(l c b a b)
list(REMOVE_DUPLICATES l)
list(SORT l)
list(LENGTH l n)
list(JOIN l "+" joined)
message(STATUS "${up} ${rep} ${len} ${sub} ${nums} ${x} ${l} ${n} ${joined}")
message(STATUS "${s512}")
file(MAKE_DIRECTORY d/e)
file(WRITE d/e/f.txt "line1\\n")
file(APPEND d/e/f.txt "line2\\n")
file(READ d/e/f.txt content)
file(SIZE d/e/f.txt size)
file(SHA256 d/e/f.txt h256)
file(MD5 d/e/f.txt hmd5)
file(GLOB_RECURSE found RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} d/*)
message(STATUS "${size} ${found} ${h256} ${hmd5}")
foreach(i RANGE 1 3)
  if(i EQUAL 2)
    continue()
  endif()
  file(APPEND out.txt "i=${i}\\n")
endforeach()
file(REMOVE d/e/f.txt)
if(NOT EXISTS d/e/f.txt AND IS_DIRECTORY d/e)
  message(STATUS "removed")
endif()
string(STRIP "${content}" content)
message(STATUS "${content}")
'
run cmake -P s.cmake
expect_stdout '-- HELLO heLLo 5 cde 1;22;333 0x58 a;b;c 3 a+b+c\n-- ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f\n-- 14 d/e/f.txt 4ad3ef64dfb83f7a8f789bce6f30cc1f8d18491b14db4c875309b150d2a7d213 c6242222cf6ccdb15a43e0e5b1a08810\n-- removed\n-- line1\nline2\n'
expect_exit 0
expect_file out.txt 'i=1\r\ni=3\r\n'
