#pragma once
#include <FLAC/stream_decoder.h>
#include <FLAC/metadata.h>

/* The status-string tables are unsized extern arrays: Swift cannot import them. */
static inline const char *cflac_error_status_string(FLAC__StreamDecoderErrorStatus status) {
    return FLAC__StreamDecoderErrorStatusString[status];
}
static inline const char *cflac_init_status_string(FLAC__StreamDecoderInitStatus status) {
    return FLAC__StreamDecoderInitStatusString[status];
}
static inline const char *cflac_state_string(FLAC__StreamDecoderState state) {
    return FLAC__StreamDecoderStateString[state];
}
