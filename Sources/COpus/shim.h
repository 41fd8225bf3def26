#pragma once
#include <opus/opusenc.h>
#include <opus/opusfile.h>

/* ope_encoder_ctl and op_* macros are variadic: Swift cannot call them. */
static inline int copus_set_bitrate(OggOpusEnc *enc, opus_int32 bitrate) {
    return ope_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate));
}
static inline int copus_set_serialno(OggOpusEnc *enc, opus_int32 serial) {
    return ope_encoder_ctl(enc, OPE_SET_SERIALNO(serial));
}
static inline int copus_set_complexity(OggOpusEnc *enc, opus_int32 complexity) {
    return ope_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity));
}
static inline int copus_set_page_duration(OggOpusEnc *enc, opus_int32 duration) {
    return ope_encoder_ctl(enc, OPE_SET_MUXING_DELAY(duration));
}
static inline int copus_set_comment_padding(OggOpusEnc *enc, opus_int32 padding) {
    return ope_encoder_ctl(enc, OPE_SET_COMMENT_PADDING(padding));
}
static inline int copus_set_packet_callback(OggOpusEnc *enc, ope_packet_func callback, void *user) {
    return ope_encoder_ctl(enc, OPE_SET_PACKET_CALLBACK(callback, user));
}
static inline int copus_set_decision_delay(OggOpusEnc *enc, opus_int32 samples) {
    return ope_encoder_ctl(enc, OPE_SET_DECISION_DELAY(samples));
}
