# Second opinions on Linux (Debian's cabextract and gcab, which tools/bootstrap.sh installs): a
# cabinet cabarc makes under ntrun (MSZIP over several blocks, two folders) is tested and
# extracted by cabextract (its block checksums included) to the same bytes; one gcab makes
# (gcab -z: MSZIP) is extracted by cabarc under ntrun to the same bytes.
for tool in cabextract gcab; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "skip corpus.$name: $tool is not installed (apt-get install cabextract gcab)"
        exit 77
    fi
done
seq 1 30000 > seq.txt
put a.txt 'hello cab\r\n'
put b.txt 'in the second folder\n'
run cabarc N t.cab a.txt seq.txt + b.txt
expect_exit 0
mkdir ce
if ! cabextract -q -d ce t.cab > cabextract.out 2>&1; then
    echo "FAIL corpus.$name: cabextract rejects the cabinet cabarc made:"
    cat cabextract.out
    fail=1
fi
for f in a.txt seq.txt b.txt; do compare "cabextract's $f" $f ce/$f; done
gcab -c -z g.cab a.txt seq.txt b.txt
run cabarc X g.cab 'gx\'
expect_exit 0
expect_tree gx 'gx\ngx/a.txt\ngx/b.txt\ngx/seq.txt\n'
for f in a.txt seq.txt b.txt; do compare "gx/$f" $f gx/$f; done
