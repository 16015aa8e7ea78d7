# FFprobe (@ffprobe-installer/win32-x64 5.1.0, a 2023 mingw-w64 build importing crypt32, ncrypt,
# oleaut32, shell32, shlwapi): the stream and format fields of a 60-byte WAV file (8 samples of
# 16-bit mono PCM at 8 kHz) in ffprobe's default writer, one key=value a line (CRLF: stdout is
# in text mode on Windows).
put a.wav 'RIFF\064\000\000\000WAVEfmt \020\000\000\000\001\000\001\000\100\037\000\000\200\076\000\000\002\000\020\000data\020\000\000\000\000\000\000\020\000\040\000\060\000\100\000\060\000\040\000\020'
run ffprobe -v error -show_entries stream=codec_name,sample_rate,channels,bits_per_sample:format=format_name,duration,size -of default=nw=1 a.wav
expect_stdout 'codec_name=pcm_s16le\r\nsample_rate=8000\r\nchannels=1\r\nbits_per_sample=16\r\nformat_name=wav\r\nduration=0.001000\r\nsize=60\r\n'
expect_exit 0
differs native 'the Linux build writes LF line ends'
