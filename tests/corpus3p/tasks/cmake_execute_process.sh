# CMake 4.0.2: child processes: execute_process with its output, error and result captured
# (through pipes libuv reads), a failing child's exit status, a pipeline of two children, and
# -E env starting a child with a variable set.
put p.cmake 'execute_process(COMMAND ${CMAKE_COMMAND} -E echo hi there OUTPUT_VARIABLE o RESULT_VARIABLE r)
message(STATUS "r=${r} o=[${o}]")
execute_process(COMMAND ${CMAKE_COMMAND} -E false RESULT_VARIABLE r)
message(STATUS "false: r=${r}")
execute_process(COMMAND ${CMAKE_COMMAND} -E cat nothere.txt ERROR_VARIABLE e RESULT_VARIABLE r)
string(FIND "${e}" "nothere.txt" at)
message(STATUS "cat: r=${r} names the file: ${at}")
execute_process(COMMAND ${CMAKE_COMMAND} -E echo piped COMMAND ${CMAKE_COMMAND} -E cat - OUTPUT_VARIABLE o
                RESULTS_VARIABLE rs OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "pipeline: ${rs} [${o}]")
execute_process(COMMAND ${CMAKE_COMMAND} -E env NTRUN_T=42 ${CMAKE_COMMAND} -P env.cmake OUTPUT_VARIABLE o)
message(STATUS "env: [${o}]")
'
put env.cmake 'execute_process(COMMAND ${CMAKE_COMMAND} -E echo "NTRUN_T=$ENV{NTRUN_T}")\n'
run cmake -P p.cmake
expect_stdout '-- r=0 o=[hi there\n]\n-- false: r=1\n-- cat: r=1 names the file: 13\n-- pipeline: 0;0 [piped]\n-- env: [NTRUN_T=42\n]\n'
expect_exit 0
