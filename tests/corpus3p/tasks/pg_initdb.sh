# PostgreSQL 18.4 (see pg_version): initdb makes a database cluster (UTF-8, locale C, trust
# authentication, no sync), running postgres.exe in bootstrap and single-user mode through pipes.
# On Windows initdb first starts itself again with a restricted token (advapi32
# CreateRestrictedToken without the Administrators and Power Users groups, then
# CreateProcessAsUser), since postgres refuses to run with administrative rights; the
# post-bootstrap step asks kernel32 GetNLSVersionEx for the en-US collation's version.
# The cluster has the Linux build's layout: the same 997 files and directories once the
# relation numbers (OIDs, which differ with the collations each system imports) are set aside.
differs native 'initdb refuses to run as root; as nobody (setpriv) the Linux build makes the same cluster (LF line ends in the .conf files)'
differs wine 'Wine 8.0 has no ntdll!NtFlushBuffersFileEx: initdb takes itself and postgres.exe for invalid binaries ("program postgres is needed by initdb but was not found")'
program hermesc
export NTRUN_DLL_PATH="${exe%/*}"
run initdb -D data -U postgres -A trust --no-sync --no-instructions -E UTF8 --locale=C
expect_exit 0
expect_file data/PG_VERSION '18\n'
expect_file data/base/1/PG_VERSION '18\n'
expect_file data/base/5/PG_VERSION '18\n'
# the layout, relation numbers left out
layout=$(cd "$cwd/data" 2>/dev/null && find . | sed 's/[0-9][0-9]*/N/g' | LC_ALL=C sort -u | cksum)
entries=$(cd "$cwd/data" 2>/dev/null && find . | wc -l)
if [ "$entries" != 997 ] || [ "$layout" != "2018438462 754" ]; then
    echo "FAIL corpus3p.$name: data has $entries entries (expected 997), layout $layout"
    fail=1
fi
# the control file and the first WAL segment at their sizes; trust in pg_hba.conf
for f in global/pg_control:8192 pg_wal/000000010000000000000001:16777216; do
    size=$(stat -c %s "$cwd/data/${f%:*}" 2>/dev/null)
    if [ "$size" != "${f#*:}" ]; then
        echo "FAIL corpus3p.$name: data/${f%:*} has ${size:-no} bytes, expected ${f#*:}"
        fail=1
    fi
done
if ! grep -q '^local *all *all *trust' "$cwd/data/pg_hba.conf"; then
    echo "FAIL corpus3p.$name: pg_hba.conf has no trust line for local connections"
    fail=1
fi
