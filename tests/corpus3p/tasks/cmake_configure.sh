# CMake 4.0.2: configure and generate a project without languages (project(demo NONE)) for the
# "Unix Makefiles" generator: CMakeCache.txt, configure_file with @ONLY, a custom target and
# message(STATUS); the make program is named, not run (a build would start processes).
# The paths cmake prints are not compared: under ntrun the Linux PWD reaches the program, and
# cmake prefers it to the current directory when it names the same place (/tmp/... rather than
# Z:/tmp/...), as it would with a PWD set on Windows; Wine drops PWD.
differs native "the Linux build says Linux and writes LF"
put src/CMakeLists.txt 'cmake_minimum_required(VERSION 3.20)\nproject(demo VERSION 1.2.3 LANGUAGES NONE)\nset(V 7)\nconfigure_file(in.txt out.txt @ONLY)\nadd_custom_target(hello ALL COMMAND ${CMAKE_COMMAND} -E echo hi)\nmessage(STATUS "V=${V} ${PROJECT_VERSION} ${CMAKE_HOST_SYSTEM_NAME}")\n'
put src/in.txt 'value=@V@ name=@PROJECT_NAME@\n'
put mk/make ''
run cmake -S src -B b -G "Unix Makefiles" -DCMAKE_MAKE_PROGRAM:FILEPATH=mk/make
expect_exit 0
expect_stdout_head 1 '-- V=7 1.2.3 Windows\n'
expect_file b/out.txt 'value=7 name=demo\r\n'
for want in 'b/CMakeCache.txt:CMAKE_PROJECT_NAME:STATIC=demo' 'b/CMakeCache.txt:CMAKE_GENERATOR:INTERNAL=Unix Makefiles' \
            'b/Makefile:hello: cmake_check_build_system' 'b/CMakeFiles/Makefile2:all: CMakeFiles/hello.dir/all'; do
    if ! grep -qF "${want#*:}" "${want%%:*}" 2>/dev/null; then
        echo "FAIL corpus3p.$name: ${want%%:*} has no line \`${want#*:}\`"
        fail=1
    fi
done
