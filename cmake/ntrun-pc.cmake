# SPDX-License-Identifier: MIT
# ntrun.pc for an install laid out by GNUInstallDirs: `prefix`, and `libdir` and `includedir`
# either relative to it (the usual case, also Debian's lib/x86_64-linux-gnu) or absolute.
# Relative directories give a relocatable file: pkg-config computes the prefix from
# ${pcfiledir}, the directory it found the file in (<prefix>/<libdir>/pkgconfig), so the file
# backs up one level per component of <libdir>/pkgconfig. An absolute libdir or includedir is
# written as it is. Used by CMakeLists.txt and by tests/lib/pc-check.cmake.
function(ntrun_configure_pc template out prefix libdir includedir version)
  if(IS_ABSOLUTE "${libdir}")
    set(NTRUN_PC_PREFIX "${prefix}")
    set(NTRUN_PC_LIBDIR "${libdir}")
  else()
    file(RELATIVE_PATH up "/ntrun-prefix/${libdir}/pkgconfig" "/ntrun-prefix")
    string(REGEX REPLACE "/$" "" up "${up}")
    set(NTRUN_PC_PREFIX "\${pcfiledir}/${up}")
    set(NTRUN_PC_LIBDIR "\${prefix}/${libdir}")
  endif()
  if(IS_ABSOLUTE "${includedir}")
    set(NTRUN_PC_INCLUDEDIR "${includedir}")
  else()
    set(NTRUN_PC_INCLUDEDIR "\${prefix}/${includedir}")
  endif()
  set(PROJECT_VERSION "${version}")
  configure_file("${template}" "${out}" @ONLY)
endfunction()
