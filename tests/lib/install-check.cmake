# lib.install_and_launcher: installs the build into WORK/prefix, builds examples/launcher.c
# with pkg-config against it, configures and builds a find_package(ntrun) consumer, and runs
# both on hello.exe. Inputs: BUILD_DIR SOURCE_DIR WORK HELLO_EXE CC GENERATOR SANITIZE (the
# consumers of a sanitizer build of the library are built with the sanitizers too).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(prefix ${WORK}/prefix)
set(san_flags "")
if(SANITIZE)
  set(san_flags -fsanitize=address,undefined)
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/ntrun.h lib/libntrun.so lib/libntrun.a lib/pkgconfig/ntrun.pc
          lib/cmake/ntrun/ntrunConfig.cmake bin/ntrun)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# No general-dynamic TLS in the library (see -ftls-model in CMakeLists.txt).
run("nm -D" nm -D ${prefix}/lib/libntrun.so)
if(last_out MATCHES "__tls_get_addr")
  message(FATAL_ERROR "libntrun.so calls __tls_get_addr: built-ins would clobber rsi/rdi")
endif()

# pkg-config, as a launcher's build would use it.
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run("pkg-config" pkg-config --cflags --libs ntrun)
string(STRIP "${last_out}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run("compile launcher" ${CC} -Wall -Werror ${san_flags} -o ${WORK}/launcher
    ${SOURCE_DIR}/examples/launcher.c
    ${pc_flags} -Wl,-rpath,${prefix}/lib)
get_filename_component(hello_dir ${HELLO_EXE} DIRECTORY)
get_filename_component(hello_name ${HELLO_EXE} NAME)
run("launcher (list)" ${WORK}/launcher ${hello_dir})
if(NOT last_out MATCHES "  ${hello_name}\n")
  message(FATAL_ERROR "launcher did not list ${hello_name}:\n${last_out}")
endif()
run("launcher (run)" ${WORK}/launcher ${hello_dir} ${hello_name})
if(NOT last_out MATCHES "\\[stdout\\] Hello from a Windows program" OR
   NOT last_out MATCHES "argv\\[2\\] = the launcher" OR
   NOT last_out MATCHES "exited with code 0 " OR NOT last_out MATCHES "crossings" OR
   NOT last_out MATCHES "-- loaded msvcrt.dll \\(built-in\\) at 0x[0-9a-f]+\n(-- loaded [^\n]+\n)*-- started" OR
   # printf's WriteFile is msvcrt's and kernel32's NT work, not the program's own
   NOT last_out MATCHES "NtWriteFile +0 by trap, 0 by thunk, [1-9][0-9]* by built-ins" OR
   NOT last_out MATCHES "NT calls +[0-9]+ by trap, [0-9]+ by thunk, [1-9][0-9]* by built-ins")
  message(FATAL_ERROR "launcher output:\n${last_out}")
endif()
message(STATUS "launcher:\n${last_out}")
run("launcher (child)" ${WORK}/launcher --child ${hello_dir} ${hello_name})
if(NOT last_out MATCHES "\\[stdout\\] Hello from a Windows program" OR
   NOT last_out MATCHES "exited with code 0 " OR
   NOT last_out MATCHES "-- loaded msvcrt.dll \\(built-in\\)" OR
   # the child's per-name counts come over its socket
   NOT last_out MATCHES "NtWriteFile +0 by trap, 0 by thunk, [1-9][0-9]* by built-ins")
  message(FATAL_ERROR "launcher --child output:\n${last_out}")
endif()

# The prefix moved elsewhere: a child run still finds its helper (bin/ntrun, relative to the
# library).
set(moved ${WORK}/moved)
file(RENAME ${prefix} ${moved})
run("compile launcher (moved prefix)" ${CC} -Wall -Werror ${san_flags} -o ${WORK}/launcher_moved
    ${SOURCE_DIR}/examples/launcher.c -I${moved}/include -L${moved}/lib -lntrun
    -Wl,-rpath,${moved}/lib)
run("launcher --child (moved prefix)" ${WORK}/launcher_moved --child ${hello_dir} ${hello_name})
if(NOT last_out MATCHES "\\[stdout\\] Hello from a Windows program" OR
   NOT last_out MATCHES "-- started \\(child process [0-9]+\\)" OR
   NOT last_out MATCHES "exited with code 0 \\(0x00000000\\): exited")
  message(FATAL_ERROR "launcher --child from the moved prefix:\n${last_out}")
endif()
file(RENAME ${moved} ${prefix})

# find_package(ntrun): a consumer project against the same prefix.
set(consumer ${WORK}/consumer)
file(MAKE_DIRECTORY ${consumer})
file(WRITE ${consumer}/CMakeLists.txt "cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(ntrun 0.2 REQUIRED)
add_executable(launcher ${SOURCE_DIR}/examples/launcher.c)
target_link_libraries(launcher PRIVATE ntrun::ntrun)
add_executable(launcher_static ${SOURCE_DIR}/examples/launcher.c)
target_link_libraries(launcher_static PRIVATE ntrun::ntrun_static)
")
run("configure find_package(ntrun) consumer" ${CMAKE_COMMAND} -S ${consumer} -B ${consumer}/build
    -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_BUILD_RPATH=${prefix}/lib "-DCMAKE_C_FLAGS=${san_flags}")
run("build find_package(ntrun) consumer" ${CMAKE_COMMAND} --build ${consumer}/build)
foreach(exe launcher launcher_static)
  run("${exe} from find_package" ${consumer}/build/${exe} ${hello_dir} ${hello_name})
  if(NOT last_out MATCHES "\\[stdout\\] Hello from a Windows program")
    message(FATAL_ERROR "${exe} (find_package) output:\n${last_out}")
  endif()
endforeach()
# A static launcher has no library directory to find the helper from: NTRUN_EXE names it.
run("launcher_static --child" ${CMAKE_COMMAND} -E env NTRUN_EXE=${prefix}/bin/ntrun
    ${consumer}/build/launcher_static --child ${hello_dir} ${hello_name})
if(NOT last_out MATCHES "\\[stdout\\] Hello from a Windows program" OR
   NOT last_out MATCHES "exited with code 0 ")
  message(FATAL_ERROR "launcher_static --child output:\n${last_out}")
endif()
file(REMOVE_RECURSE ${WORK})
