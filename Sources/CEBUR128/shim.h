#pragma once
#include <ebur128.h>

/// The enum's or'ed modes as a plain int (Swift imports the C enum as a struct).
static inline int onair_ebur128_mode_integrated_true_peak(void) {
    return (int)(EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
}
