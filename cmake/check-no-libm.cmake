# After ntrun's link: libm must not be needed (tools/ntrun-libm.c opens it on the first math
# call). A math function the core calls and that file does not define brings it back.
# cmake -DREADELF=... -DBIN=... -P check-no-libm.cmake
execute_process(COMMAND ${READELF} -d ${BIN} OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readelf -d ${BIN} failed")
endif()
if(dyn MATCHES "NEEDED[^\n]*libm\\.so")
  message(FATAL_ERROR "ntrun needs libm again: a math function the core calls is not defined "
          "in tools/ntrun-libm.c; `nm -D --undefined-only ${BIN}` lists it among the symbols "
          "that libm.so.6 defines (`nm -D --defined-only`). Add it there.")
endif()
