# recheck 4.5.0 (recheck-windows-x64, a ReDoS checker in Scala compiled by GraalVM 22.3 Native
# Image): a safe pattern (exit 0), an exponential one, a polynomial one and one with the i flag
# (exit 1), each with its attack string and its hotspot (marked with ANSI colours, also when
# not on a terminal). The native image finds its own sections with ntdll!RtlImageNtHeader and
# RtlAddressInSectionTable before main (exit 127, nothing printed, without them; Wine 8.0 lacks
# RtlAddressInSectionTable and stops the same way).
# Java's println ends lines with the platform's line.separator: CR LF on Windows.
# LF line ends (the line.separator of Linux).
native_crlf
differs wine 'Wine 8.0 has no ntdll!RtlAddressInSectionTable: exit 127, nothing printed'
run recheck '/^a+$/'
expect_stdout 'Input     : /^a+$/\r\nStatus    : safe\r\nComplexity: linear\r\nChecker   : automaton\r\n'
expect_exit 0
run recheck '/^(a+)+$/'
expect_stdout "Input        : /^(a+)+\$/\r\nStatus       : vulnerable\r\nComplexity   : exponential\r\nAttack string: 'a' + 'a'.repeat(31) + '\\\\x00'\r\nHotspot      : /^(\033[41ma\033[0m+)+\$/\r\nChecker      : automaton\r\n"
expect_exit 1
run recheck '/^\d*\d*$/'
expect_stdout "Input        : /^\\\\d*\\\\d*\$/\r\nStatus       : vulnerable\r\nComplexity   : 2nd degree polynomial\r\nAttack string: '0'.repeat(54773) + '\\\\x00'\r\nHotspot      : /^\033[41m\\\\d\033[0m*\033[41m\\\\d\033[0m*\$/\r\nChecker      : automaton\r\n"
expect_exit 1
run recheck '/(a|b|ab)*c/i'
expect_stdout "Input        : /(a|b|ab)*c/i\r\nStatus       : vulnerable\r\nComplexity   : exponential\r\nAttack string: 'A' + 'BABA'.repeat(29) + '\\\\x00C'\r\nHotspot      : /(\033[41ma\033[0m|\033[41mb\033[0m|\033[41mab\033[0m)*c/i\r\nChecker      : automaton\r\n"
expect_exit 1
