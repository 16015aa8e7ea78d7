# vsce-sign 2.0.6 (see vscesign_manifest): verification stops before any cryptography when the
# signature archive cannot be read (exit 12, SignatureArchiveIsUnreadable; with --verbose the
# package's size first) or holds no .signature.manifest (exit 7, SignatureManifestIsMissing):
# with --verbose it prints what it read and the exit code's name, in lines ending CRLF as .NET's
# Console does on Windows (Wine 8.0 prints the same bytes).
# The Linux build ends lines with LF.
native_crlf
put t.vsix 'PK\003\004\012\000\000\000\000\000\203\030\042\134\334\2535\003#\000\000\000#\000\000\000\026\000\000\000extension/package.json{\042name\042:\042hello\042,\042version\042:\0421.0.0\042}\012PK\003\004\012\000\000\000\000\000\203\030\042\134\256\212\2374\023\000\000\000\023\000\000\000\021\000\000\000extension/main.jsconsole.log(\042hi\042);\012PK\001\002\036\003\012\000\000\000\000\000\203\030\042\134\334\2535\003#\000\000\000#\000\000\000\026\000\000\000\000\000\000\000\001\000\000\000\244\201\000\000\000\000extension/package.jsonPK\001\002\036\003\012\000\000\000\000\000\203\030\042\134\256\212\2374\023\000\000\000\023\000\000\000\021\000\000\000\000\000\000\000\001\000\000\000\244\201W\000\000\000extension/main.jsPK\005\006\000\000\000\000\002\000\002\000\203\000\000\000\231\000\000\000\000\000'
put nosig.zip 'PK\003\004\012\000\000\000\000\000\203\030\042\134m4\231\134\007\000\000\000\007\000\000\000\016\000\000\000.signature.p7sgarbagePK\001\002\036\003\012\000\000\000\000\000\203\030\042\134m4\231\134\007\000\000\000\007\000\000\000\016\000\000\000\000\000\000\000\001\000\000\000\244\201\000\000\000\000.signature.p7sPK\005\006\000\000\000\000\001\000\001\000<\000\000\0003\000\000\000\000\000'
run vscesign verify --package t.vsix --signaturearchive missing.zip
expect_stdout ''
expect_exit 12
run vscesign verify --package t.vsix --signaturearchive missing.zip --verbose
expect_stdout 'Package file size:  306\r\nExit code:  SignatureArchiveIsUnreadable\r\n'
expect_exit 12
run vscesign verify --package t.vsix --signaturearchive nosig.zip --verbose
expect_stdout 'Package file size:  306\r\nSignature archive file size:  133\r\nExit code:  SignatureManifestIsMissing\r\n'
expect_exit 7
