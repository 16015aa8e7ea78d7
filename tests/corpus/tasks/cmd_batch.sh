# A batch file run by cmd /c with arguments: echo. and echo off, set /a (silent in a batch
# file), call of a label with arguments (%~2 without its quotes) returning through exit /b 5
# (%errorlevel% after it), setlocal enabledelayedexpansion with !n! in a FOR body, endlocal
# dropping the variable again, shift, %~n0 and %~x0, goto past a line. Wine 8.0 prints the same.
put t.bat '@echo off\r\nset /a x=3*4+1\r\necho.\r\necho x=%%x%%\r\ncall :sub one "two words"\r\necho back %%errorlevel%%\r\nsetlocal enabledelayedexpansion\r\nset n=0\r\nfor %%%%i in (a b c) do (set /a n+=1 >nul & echo !n! %%%%i)\r\nendlocal\r\necho n after endlocal=[%%n%%]\r\nshift\r\necho arg1=%%1 name=%%~n0 ext=%%~x0\r\ngoto end\r\necho skipped\r\n:sub\r\necho sub %%1 %%~2 %%2\r\nexit /b 5\r\n:end\r\necho done\r\n'
run cmd /c t.bat first second
expect_stdout '\r\nx=13\r\nsub one two words "two words"\r\nback 5\r\n1 a\r\n2 b\r\n3 c\r\nn after endlocal=[]\r\narg1=second name=t ext=.bat\r\ndone\r\n'
expect_exit 0
