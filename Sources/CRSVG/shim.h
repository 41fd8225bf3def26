#pragma once
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <png.h>

// libpng's simplified-API constants are macros built from macros; Swift sees them through these.
static inline png_uint_32 crsvg_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline png_uint_32 crsvg_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline png_uint_32 crsvg_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
static inline png_uint_32 crsvg_png_flag_fast(void) { return PNG_IMAGE_FLAG_FAST; }
