# lib.debian_package: `cpack -G DEB` from the build directory, then the package is inspected
# (dpkg-deb -I: name, dependencies; -c: the files), unpacked into a scratch root, and its
# ntrun runs hello.exe and its ntrun.pc names the unpacked tree. Skipped without dpkg-deb.
# Inputs: BUILD_DIR WORK HELLO_EXE CPACK.
find_program(DPKG_DEB dpkg-deb)
if(NOT DPKG_DEB)
  message(STATUS "SKIPPED: dpkg-deb is not installed")
  return()
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

run("cpack" ${CPACK} --config ${BUILD_DIR}/CPackConfig.cmake -G DEB -B ${WORK})
file(GLOB debs ${WORK}/ntrun_*.deb)
list(LENGTH debs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "cpack made ${n} ntrun_*.deb in ${WORK}: ${debs}")
endif()

run("dpkg-deb -I" ${DPKG_DEB} -I ${debs})
foreach(want "Package: ntrun\n" "Architecture: amd64\n" "Depends: [^\n]*libzydis4\\.0"
        "Depends: [^\n]*libc6 \\(>= " "Section: otherosfs\n")
  if(NOT last_out MATCHES "${want}")
    message(FATAL_ERROR "dpkg-deb -I does not match [${want}]:\n${last_out}")
  endif()
endforeach()
run("dpkg-deb -c" ${DPKG_DEB} -c ${debs})
foreach(f usr/bin/ntrun usr/bin/ntrun-binfmt usr/include/ntrun.h usr/lib/libntrun.so.0
          usr/lib/libntrun.a usr/lib/pkgconfig/ntrun.pc usr/lib/cmake/ntrun/ntrunConfig.cmake
          usr/share/man/man1/ntrun.1 usr/share/bash-completion/completions/ntrun
          usr/share/doc/ntrun/LICENSE)
  if(NOT last_out MATCHES " \\./${f}[ \n]")
    message(FATAL_ERROR "the package lacks /${f}:\n${last_out}")
  endif()
endforeach()
if(last_out MATCHES "\\.exe\n" OR last_out MATCHES "/tests?/")
  message(FATAL_ERROR "the package holds test files:\n${last_out}")
endif()

# Unpacked somewhere else, it works: the command runs a program, ntrun.pc follows the tree.
set(root ${WORK}/root)
run("dpkg-deb -x" ${DPKG_DEB} -x ${debs} ${root})
run("unpacked ntrun" ${root}/usr/bin/ntrun ${HELLO_EXE} one)
if(NOT last_out MATCHES "Hello from a Windows program")
  message(FATAL_ERROR "unpacked ntrun printed:\n${last_out}")
endif()
set(ENV{PKG_CONFIG_PATH} ${root}/usr/lib/pkgconfig)
run("pkg-config" pkg-config --cflags ntrun)
string(REGEX REPLACE "^-I([^ \n]+).*" "\\1" inc "${last_out}")
if(NOT EXISTS ${inc}/ntrun.h)
  message(FATAL_ERROR "pkg-config --cflags of the unpacked package: ${last_out}")
endif()
file(REMOVE_RECURSE ${WORK})
