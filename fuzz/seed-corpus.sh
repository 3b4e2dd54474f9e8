#!/usr/bin/env bash
# Fills corpus/<target>/ with seed inputs: the streams in seeds/*.sse and, when present, every
# `input` of sse-codec's spec vectors (../sse-codec/testdata/*.toml), each behind the header bytes
# that the target reads first (see src/input.rs). Existing corpus files are kept: libFuzzer's
# finds from earlier runs are worth more than the seeds.
set -euo pipefail
cd "$(dirname "$0")"

# Header bytes per target, as printf escapes. Each stream is written once per header.
# flags 0x01: report comments; 0x09: also small limits (line 8, event 16 bytes).
declare -A HEADERS=(
    [decode]='\x01 \x09\x08\x10'
    [decode_chunked]='\x01\x03\x01\x05\x02 \x09\x08\x10\x00'
    [reference]='\x01 \x04'
    # Two cuts after 9 and 20 bytes; then the first connection ends in a cut, the second in an
    # orderly end, reads of 3 bytes; or one cut after 5 bytes, one read per connection.
    [connections]='\x01\x02\x09\x14\x02\x03 \x04\x01\x05\x00\x00'
    # Structured input (arbitrary frames): the raw streams still give it SSE-like text to mutate.
    [roundtrip]='-'
)

# Turns a vector's `input` (a TOML literal string using the escapes documented at the top of
# vectors.toml: \n \r \t \0 \xHH \\) into a printf format string that writes its bytes.
vector_format() {
    local text=$1 format='' i=0 char
    while ((i < ${#text})); do
        char=${text:i:1}
        if [[ $char == '\' ]]; then
            case ${text:i+1:1} in
                n) format+='\n' ;;
                r) format+='\r' ;;
                t) format+='\t' ;;
                0) format+='\000' ;;
                '\') format+='\\' ;;
                x) format+="\\x${text:i+2:2}"; i=$((i + 2)) ;;
                *) echo "unknown escape in vector input: $text" >&2; return 1 ;;
            esac
            i=$((i + 2))
        else
            [[ $char == % ]] && char='%%'
            format+=$char
            i=$((i + 1))
        fi
    done
    printf '%s' "$format"
}

streams=$(mktemp -d)
trap 'rm -rf "$streams"' EXIT

for seed in seeds/*.sse; do
    cp "$seed" "$streams/$(basename "$seed" .sse)"
done

vectors=0
for file in ../sse-codec/testdata/*.toml; do
    [[ -e $file ]] || continue
    while IFS= read -r input; do
        vectors=$((vectors + 1))
        # shellcheck disable=SC2059 # the format is built from the vector on purpose
        printf "$(vector_format "$input")" >"$streams/$(basename "$file" .toml)-$vectors"
    done < <(sed -n "s/^input = '\(.*\)'\$/\1/p" "$file")
done

for target in "${!HEADERS[@]}"; do
    mkdir -p "corpus/$target"
    for stream in "$streams"/*; do
        header_number=0
        for header in ${HEADERS[$target]}; do
            header_number=$((header_number + 1))
            [[ $header == - ]] && header=''
            {
                # shellcheck disable=SC2059
                printf "$header"
                cat "$stream"
            } >"corpus/$target/seed-$(basename "$stream")-$header_number"
        done
    done
done
echo "seed corpus: $(ls seeds/*.sse | wc -l) hand-written streams, $vectors spec vectors, targets: ${!HEADERS[*]}"
