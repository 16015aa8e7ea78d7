# lib.pkg_config_layouts: ntrun.pc as cmake/ntrun-pc.cmake writes it for install layouts other
# than the build's own: Debian's (prefix /usr, libdir lib/x86_64-linux-gnu), a lib64 one, and an
# absolute libdir outside the prefix. Each file is put where that install would put it (under
# WORK as a stand-in root) and `pkg-config --cflags --libs` must name the right directories.
# Inputs: SOURCE_DIR WORK.
include(${SOURCE_DIR}/cmake/ntrun-pc.cmake)
set(NTRUN_ZYDIS_SONAME libZydis.so.4.0)
file(REMOVE_RECURSE ${WORK})

# layout: prefix libdir includedir -> expected include and library directories (under WORK
# when relative: the tree is moved there, as an unpacked package would be)
function(check name prefix libdir includedir want_inc want_lib)
  if(IS_ABSOLUTE "${libdir}")
    set(pcdir ${WORK}/${name}${libdir}/pkgconfig)
  else()
    set(pcdir ${WORK}/${name}${prefix}/${libdir}/pkgconfig)
  endif()
  ntrun_configure_pc(${SOURCE_DIR}/cmake/ntrun.pc.in ${pcdir}/ntrun.pc
    "${prefix}" "${libdir}" "${includedir}" 9.8.7)
  set(ENV{PKG_CONFIG_PATH} ${pcdir})
  execute_process(COMMAND pkg-config --cflags --libs ntrun RESULT_VARIABLE rc
    OUTPUT_VARIABLE out ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: pkg-config failed: ${err}")
  endif()
  if(NOT out MATCHES "-I([^ ]+)" )
    message(FATAL_ERROR "${name}: no -I in [${out}]")
  endif()
  cmake_path(NORMAL_PATH CMAKE_MATCH_1 OUTPUT_VARIABLE inc)
  if(NOT out MATCHES "-L([^ ]+)")
    message(FATAL_ERROR "${name}: no -L in [${out}]")
  endif()
  cmake_path(NORMAL_PATH CMAKE_MATCH_1 OUTPUT_VARIABLE lib)
  if(NOT inc STREQUAL want_inc OR NOT lib STREQUAL want_lib)
    message(FATAL_ERROR "${name}: pkg-config says [${out}]: include ${inc} (want ${want_inc}), "
                        "lib ${lib} (want ${want_lib})")
  endif()
  execute_process(COMMAND pkg-config --modversion ntrun OUTPUT_VARIABLE ver
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND pkg-config --variable=zydis_soname ntrun OUTPUT_VARIABLE zy
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT ver STREQUAL "9.8.7" OR NOT zy STREQUAL "libZydis.so.4.0")
    message(FATAL_ERROR "${name}: version [${ver}], zydis_soname [${zy}]")
  endif()
  message(STATUS "${name}: ${out}")
endfunction()

check(debian /usr lib/x86_64-linux-gnu include
      ${WORK}/debian/usr/include ${WORK}/debian/usr/lib/x86_64-linux-gnu)
check(lib64 /opt/ntrun lib64 include ${WORK}/lib64/opt/ntrun/include ${WORK}/lib64/opt/ntrun/lib64)
check(plain /usr/local lib include ${WORK}/plain/usr/local/include ${WORK}/plain/usr/local/lib)
# An absolute libdir is not relocatable: its paths are taken as they are.
check(absolute /opt/ntrun /srv/ntrun-libs /srv/ntrun-include /srv/ntrun-include /srv/ntrun-libs)
file(REMOVE_RECURSE ${WORK})
