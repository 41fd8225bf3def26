#pragma once
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <png.h>

// libpng's simplified-API constants are macros built from macros; Swift sees them through these.
static inline png_uint_32 crsvg_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline png_uint_32 crsvg_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline png_uint_32 crsvg_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
static inline png_uint_32 crsvg_png_flag_fast(void) { return PNG_IMAGE_FLAG_FAST; }
// An upper bound of the PNG's size, so png_image_write_to_memory runs once.
static inline png_alloc_size_t crsvg_png_size_max(png_image image) { return PNG_IMAGE_PNG_SIZE_MAX(image); }
