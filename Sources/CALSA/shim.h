#pragma once
#include <alsa/asoundlib.h>

/* ALSA prints its own diagnostics to stderr ("ALSA lib confmisc.c:...") through a variadic
   handler Swift cannot write; onaird reports every failure itself, as one line, so it can mute them. */
static void calsa_ignore_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void calsa_silence_library_errors(void) { snd_lib_error_set_handler(calsa_ignore_error); }
