# vsce-sign 2.0.6 (@vscode/vsce-sign-win32-x64: C# compiled ahead of time by .NET NativeAOT, its
# runtime and garbage collector inside the exe; UCRT, bcrypt, crypt32, ncrypt, ole32): the
# signature manifest of a VS Code extension package (a zip of two files made with zip -X): the
# package's and each entry's size and SHA-256 (bcrypt), entry names in base64, as JSON. The .NET
# runtime asks at start-up for the processor topology (GetLogicalProcessorInformationEx, NUMA,
# groups), InitializeContext, FlushProcessWriteBuffers, CoGetApartmentType and the dynamic time
# zone.
put t.vsix 'PK\003\004\012\000\000\000\000\000\203\030\042\134\334\2535\003#\000\000\000#\000\000\000\026\000\000\000extension/package.json{\042name\042:\042hello\042,\042version\042:\0421.0.0\042}\012PK\003\004\012\000\000\000\000\000\203\030\042\134\256\212\2374\023\000\000\000\023\000\000\000\021\000\000\000extension/main.jsconsole.log(\042hi\042);\012PK\001\002\036\003\012\000\000\000\000\000\203\030\042\134\334\2535\003#\000\000\000#\000\000\000\026\000\000\000\000\000\000\000\001\000\000\000\244\201\000\000\000\000extension/package.jsonPK\001\002\036\003\012\000\000\000\000\000\203\030\042\134\256\212\2374\023\000\000\000\023\000\000\000\021\000\000\000\000\000\000\000\001\000\000\000\244\201W\000\000\000extension/main.jsPK\005\006\000\000\000\000\002\000\002\000\203\000\000\000\231\000\000\000\000\000'
run vscesign generatemanifest --package t.vsix --output m.json
expect_stdout ''
expect_exit 0
expect_file m.json '{"package":{"size":306,"digests":{"sha256":"Zek3JvP77AYS/JO2pvKHu6CxQl0dVixocftiQfwj/dU="}},"entries":{"ZXh0ZW5zaW9uL3BhY2thZ2UuanNvbg==":{"size":35,"digests":{"sha256":"KzLiPJT4/J6KX2WJS8fhqrcz1pu1dE9j9Cis0FWXPzg="}},"ZXh0ZW5zaW9uL21haW4uanM=":{"size":19,"digests":{"sha256":"K/ixJdFacbX6ef5xDK4NuRGnHmWJHicLyh1Otd14Uog="}}}}'
