# cabarc on cabinets that are missing, not cabinets, cut short or damaged: FDICopy fails cleanly
# (cabarc's exit status is GetLastError(): 2 for a missing cabinet, else 0), nothing listed from
# a cabinet whose file entries are cut; one whose data is cut or damaged lists, but extracts no
# byte (its first file is created by cabarc's own callback and left empty, as with Wine 8.0).
# A directory named without -r is refused (exit 1).
put a.txt 'hello cab\r\n'
put b.txt 'second file with more text text text text\n'
run cabarc -m mszip N z.cab a.txt b.txt
expect_exit 0
run cabarc L missing.cab
expect_stdout ''
expect_exit 2
put notcab.cab 'hello, this is no cabinet\r\n'
run cabarc L notcab.cab
expect_stdout ''
expect_exit 0
for len in 0 20 36 50 80; do
    head -c $len z.cab > cut.cab
    run cabarc L cut.cab
    expect_stdout ''
    expect_exit 0
done
for len in 100 120; do
    head -c $len z.cab > cut.cab
    run cabarc L cut.cab
    expect_stdout 'a.txt\r\nb.txt\r\n'
    expect_exit 0
done
mkdir x
run cabarc X cut.cab 'x\'
expect_exit 0
expect_tree x 'x\nx/a.txt\n'
expect_file x/a.txt ''
cp z.cab bad.cab
printf '\377\377\377\377' | dd of=bad.cab bs=1 seek=100 conv=notrunc 2>/dev/null
mkdir y
run cabarc X bad.cab 'y\'
expect_exit 0
expect_tree y 'y\ny/a.txt\n'
expect_file y/a.txt ''
mkdir dir
run cabarc N d.cab dir
expect_stdout ''
expect_exit 1
