# expand on cabinets cabarc made under ntrun (cabinet.dll's FCI; MSZIP over several 32 KiB
# blocks): CAB FILE extracts the one file to FILE, -r CAB to the name stored in the cabinet,
# beside the cabinet.
seq 1 20000 > seq.txt
mkdir sub
run cabarc N sub/one.cab seq.txt
expect_exit 0
run expand sub/one.cab out.txt
expect_stdout ''
expect_exit 0
compare out.txt seq.txt out.txt
run expand -r sub/one.cab
expect_stdout ''
expect_exit 0
expect_tree sub 'sub\nsub/one.cab\nsub/seq.txt\n'
compare sub/seq.txt seq.txt sub/seq.txt
