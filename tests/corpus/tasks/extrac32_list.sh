# extrac32 /D lists a cabinet (made by cabarc under ntrun): date, time, attributes, size and name
# of each file, one a line (LF), from SetupIterateCabinetW's FILEINCABINET notifications.
export TZ=UTC
put a.txt 'hello cab\r\n'
seq 1 20000 > seq.txt
touch -d '2020-01-02 03:04:06 UTC' a.txt seq.txt
run cabarc N t.cab a.txt seq.txt
expect_exit 0
run extrac32 /D t.cab
expect_stdout '01-02-2020 03:04:06 A---              11 a.txt\n01-02-2020 03:04:06 A---          108894 seq.txt\n'
expect_exit 0
# A file that is not a cabinet: nothing listed (the message goes to stderr), exit 0 as on Wine.
run extrac32 /D seq.txt
expect_stdout ''
expect_exit 0
