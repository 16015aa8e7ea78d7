# FFprobe 5.1.0 (see ffprobe_wav_entries): the same WAV file's format in the JSON writer, its
# packets counted (-count_packets) in the flat writer, and a missing input (exit 1).
put a.wav 'RIFF\064\000\000\000WAVEfmt \020\000\000\000\001\000\001\000\100\037\000\000\200\076\000\000\002\000\020\000data\020\000\000\000\000\000\000\020\000\040\000\060\000\100\000\060\000\040\000\020'
run ffprobe -v error -show_entries format=nb_streams,bit_rate -of json a.wav
expect_stdout '{\r\n    "format": {\r\n        "nb_streams": 1,\r\n        "bit_rate": "480000"\r\n    }\r\n}\r\n'
expect_exit 0
run ffprobe -v error -count_packets -show_entries stream=nb_read_packets,duration_ts,time_base -of flat a.wav
expect_stdout 'streams.stream.0.time_base="1/8000"\r\nstreams.stream.0.duration_ts=8\r\nstreams.stream.0.nb_read_packets="1"\r\n'
expect_exit 0
run ffprobe -v error missing.wav
expect_stdout ''
expect_exit 1
differs native 'the Linux build writes LF line ends'
