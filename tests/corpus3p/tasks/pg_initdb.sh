# PostgreSQL 18.4 (see pg_version): initdb makes a database cluster (UTF-8, locale C, trust
# authentication, no sync), running postgres.exe in bootstrap and single-user mode through pipes.
# On Windows initdb first starts itself again with a restricted token (advapi32
# CreateRestrictedToken without the Administrators and Power Users groups, then
# CreateProcessAsUser), since postgres refuses to run with administrative rights.
blocked advapi32.dll!CreateRestrictedToken
differs native 'initdb refuses to run as root; as nobody (setpriv) the Linux build makes the cluster, PG_VERSION "18"'
differs wine 'Wine 8.0 has no ntdll!NtFlushBuffersFileEx: initdb takes itself and postgres.exe for invalid binaries ("program postgres is needed by initdb but was not found")'
program hermesc
export NTRUN_DLL_PATH="${exe%/*}"
run initdb -D data -U postgres -A trust --no-sync --no-instructions -E UTF8 --locale=C
expect_exit 0
expect_file data/PG_VERSION '18\n'
