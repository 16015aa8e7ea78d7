# extrac32 /E /L DIR extracts every file of a cabinet (made by cabarc under ntrun: two folders,
# MSZIP over several blocks, then stored) into DIR, through setupapi's SetupIterateCabinetW.
seq 1 20000 > seq.txt
put a.txt 'hello cab\r\n'
put b.txt 'stored\r\n'
run cabarc N t.cab a.txt seq.txt
expect_exit 0
run cabarc -m none N n.cab b.txt
expect_exit 0
mkdir out
run extrac32 /E /L out t.cab
expect_stdout ''
expect_exit 0
expect_tree out 'out\nout/a.txt\nout/seq.txt\n'
expect_file out/a.txt 'hello cab\r\n'
compare out/seq.txt seq.txt out/seq.txt
run extrac32 /E /L out n.cab
expect_exit 0
expect_file out/b.txt 'stored\r\n'
