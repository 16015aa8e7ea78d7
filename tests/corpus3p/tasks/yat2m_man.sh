# libgpg-error 1.46's yat2m (Debian's libgpg-error-mingw-w64-dev 1.46-1: C, mingw-w64, msvcrt;
# GnuPG's "yet another texi2man", which makes the man pages of GnuPG's tools from their Texinfo
# manuals): a man page from a Texinfo file with @manpage, @mansect, a @table of options and
# raw roff in @ifset manverb, to standard output with --date (an epoch), --release and
# --source; written to the file @manpage names (--store); as HTML from standard input (by
# digest); --select of a page that is not there (nothing); a missing file (exit 1).
# Wine 8.0 prints the same bytes (the man page and the HTML compared on 7 December 2026).
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: Debian ships no Linux build of yat2m"
    exit 77
fi
put foo.texi '@node foo\n@chapter The foo tool\n\n@manpage foo.1\n@ifset manverb\n.B foo\n\\- frobnicate the widgets\n@end ifset\n\n@mansect synopsis\n@ifset manverb\n.B  foo\n.RI [ options ]\n.I file\n@end ifset\n\n@mansect description\n@command{foo} reads @var{file} and frobnicates @emph{every} widget in it.\n\n@mansect options\n@table @gnupgtabopt\n@item --verbose\n@opindex verbose\nSay more.\n\n@item --output @var{name}\nWrite to @var{name}.\n@end table\n\n@mansect see also\n@command{bar}(1)\n@bye\n'
run yat2m --date 1765065600 --release 1.0 --source FOO foo.texi
expect_stdout '.\\" Created from Texinfo source by yat2m 1.46\r\n.TH FOO 1 2025-12-07 "1.0" "FOO"\r\n.SH NAME\r\n.B foo\r\n\\- frobnicate the widgets\r\n.SH SYNOPSIS\r\n.B  foo\r\n.RI [ options ]\r\n.I file\r\n\r\n.SH DESCRIPTION\r\n\\fBfoo\\fR reads \\fIfile\\fR and frobnicates \\fIevery\\fR widget in it.\r\n\r\n.SH OPTIONS\r\n.TP\r\n.B  --verbose\r\nSay more.\r\n\r\n.TP\r\n.B  --output \\fIname\\fR\r\nWrite to \\fIname\\fR.\r\n.P\r\n\r\n.SH SEE ALSO\r\n\\fBbar\\fR(1)\r\n'
expect_exit 0
run yat2m --store --date 1765065600 foo.texi
expect_stdout ''
expect_exit 0
expect_file foo.1 '.\\" Created from Texinfo source by yat2m 1.46\r\n.TH FOO 1 2025-12-07 "" "GNU"\r\n.SH NAME\r\n.B foo\r\n\\- frobnicate the widgets\r\n.SH SYNOPSIS\r\n.B  foo\r\n.RI [ options ]\r\n.I file\r\n\r\n.SH DESCRIPTION\r\n\\fBfoo\\fR reads \\fIfile\\fR and frobnicates \\fIevery\\fR widget in it.\r\n\r\n.SH OPTIONS\r\n.TP\r\n.B  --verbose\r\nSay more.\r\n\r\n.TP\r\n.B  --output \\fIname\\fR\r\nWrite to \\fIname\\fR.\r\n.P\r\n\r\n.SH SEE ALSO\r\n\\fBbar\\fR(1)\r\n'
stdin '@node foo\n@chapter The foo tool\n\n@manpage foo.1\n@ifset manverb\n.B foo\n\\- frobnicate the widgets\n@end ifset\n\n@mansect synopsis\n@ifset manverb\n.B  foo\n.RI [ options ]\n.I file\n@end ifset\n\n@mansect description\n@command{foo} reads @var{file} and frobnicates @emph{every} widget in it.\n\n@mansect options\n@table @gnupgtabopt\n@item --verbose\n@opindex verbose\nSay more.\n\n@item --output @var{name}\nWrite to @var{name}.\n@end table\n\n@mansect see also\n@command{bar}(1)\n@bye\n'
run yat2m --html --date 1765065600 --release 1.0 --source FOO -
expect_stdout_sha256 3f8960c3f82a4c03d4cb375d388097f6b2b6fc8c4ce46d12469f3c3b0863a067
expect_exit 0
run yat2m --select bar.1 --date 1765065600 foo.texi
expect_stdout ''
expect_exit 0
run yat2m nothere.texi
expect_stdout ''
expect_exit 1
