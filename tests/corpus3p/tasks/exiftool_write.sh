# ExifTool 13.59 (exiftool-vendored.exe 13.59.3: Phil Harvey's Perl program on Strawberry Perl
# 5.32 (perl532.dll and its XS modules, mingw-w64 GCC, msvcrt), started by Oliver Betz's
# launcher exiftool.exe, which runs exiftool_files\perl.exe with exiftool.pl as a child; the
# reference is exiftool-vendored.pl 13.59.3 on Debian's perl): -ver, a 1x1 JPEG's file and JFIF
# tags, EXIF, XMP and a comment written to a new file (its bytes by digest), read back as text
# and as JSON. Perl's standard output is in text mode on Windows (CR LF).
put in.jpg '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\333\000C\000\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\377\300\000\013\010\000\001\000\001\001\001\021\000\377\304\000\024\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\377\304\000\024\020\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\377\332\000\010\001\001\000\000?\000?\377\331'
run exiftool -ver
expect_stdout '13.59\r\n'
expect_exit 0
run exiftool -s -G1 -ImageSize -FileType -MIMEType -JFIFVersion -EncodingProcess in.jpg
expect_stdout '[Composite]     ImageSize                       : 1x1\r\n[File]          FileType                        : JPEG\r\n[File]          MIMEType                        : image/jpeg\r\n[JFIF]          JFIFVersion                     : 1.01\r\n[File]          EncodingProcess                 : Baseline DCT, Huffman coding\r\n'
expect_exit 0
run exiftool -Artist=Ada '-Copyright=(c) 2026 Ada' '-XMP-dc:Title=A test' -Comment=hello -o out.jpg in.jpg
expect_stdout '    1 image files created\r\n'
expect_exit 0
expect_sha256 out.jpg 0ac078e25e50949fb51a608f2f1c1329e6a35aa4ff44c56e499ed4c5cac60d36
run exiftool -s -G1 -Artist -Copyright -Title -Comment -ImageSize out.jpg
expect_stdout '[IFD0]          Artist                          : Ada\r\n[IFD0]          Copyright                       : (c) 2026 Ada\r\n[XMP-dc]        Title                           : A test\r\n[File]          Comment                         : hello\r\n[Composite]     ImageSize                       : 1x1\r\n'
expect_exit 0
run exiftool -j -Artist -Title -Comment out.jpg
expect_stdout '[{\r\n  "SourceFile": "out.jpg",\r\n  "Artist": "Ada",\r\n  "Title": "A test",\r\n  "Comment": "hello"\r\n}]\r\n'
expect_exit 0
differs native 'LF line ends (Perl on Linux)'
