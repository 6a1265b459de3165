# Turns a data file into a C++ byte array (see shefu_embed in the top-level CMakeLists.txt).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\nnamespace shefu::embedded {\nextern const unsigned char ${NAME}[] = {\n${body}0x00};\nextern const unsigned long ${NAME}_size = ${size};\n}\n")
