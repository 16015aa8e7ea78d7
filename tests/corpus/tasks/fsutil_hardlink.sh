# fsutil hardlink create NEW EXISTING (CreateHardLinkW): the new name is the same file, so text
# appended through it (by cmd's >>) is in the old one; a name that exists already and a missing
# target fail (exit 1) with the system's message for the error (FormatMessage: Windows' texts;
# Wine 8.0 has its own, "File already exists." and "File not found."); the usage texts. A made
# link prints nothing (Wine's fsutil says nothing on success either).
put a.txt 'hello\r\n'
run fsutil hardlink create link.txt a.txt
expect_stdout ''
expect_exit 0
run cmd /c 'echo more>>link.txt'
expect_file a.txt 'hello\r\nmore\r\n'
run fsutil hardlink create link.txt a.txt
expect_stdout 'Cannot create a file when that file already exists.\r\n'
expect_exit 1
run fsutil hardlink create x.txt nofile.txt
expect_stdout 'The system cannot find the file specified.\r\n'
expect_exit 1
run fsutil hardlink create
expect_stdout 'Syntax: fsutil hardlink create <new> <existing>\r\n'
expect_exit 1
run fsutil hardlink
expect_stdout '- Hardlink - Supported Commands -\r\n\r\ncreate        create a hardlink\r\n'
expect_exit 0
