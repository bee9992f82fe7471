/*
 * pdf_deflate.c — streams deflated here (page content, ToUnicode maps,
 * CIDToGIDMaps) rather than by libharu: see pdf_stream_deflate.
 */
#include "render/pdf/pdf_internal.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Written inside the dictionary of a stream whose data is already deflated
   (libharu writes /Filter only for streams it compresses itself). */
HPDF_STATUS pdf_flate_filter_write(HPDF_Dict obj, HPDF_Stream stream)
{
    (void)obj;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * Replace the data of a stream object with `n` bytes deflated at ZLEVEL,
 * with a window and hash sized to the data: libharu sets up a full 32 KB
 * window and 64 KB hash (and clears them) for every stream, however small —
 * a page, a ToUnicode map, a CIDToGIDMap.  0, or -1 when zlib or libharu
 * fail.
 */
int pdf_stream_deflate(HPDF_Dict obj, const void *data, size_t n)
{
    int wbits = 9;
    while (wbits < 15 && ((size_t)1 << wbits) < n + 262) wbits++;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, ZLEVEL, Z_DEFLATED, wbits, wbits - 7 < 1 ? 1 : wbits - 7,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)n);
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf) abort();
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int zr = deflate(&z, Z_FINISH);
    size_t out = cap - z.avail_out;
    deflateEnd(&z);
    int rc = -1;
    if (zr == Z_STREAM_END) {
        HPDF_MemStream_FreeData(obj->stream);
        if (HPDF_Stream_Write(obj->stream, buf, (HPDF_UINT)out) == HPDF_OK) {
            obj->filter = HPDF_STREAM_FILTER_NONE;
            obj->write_fn = pdf_flate_filter_write;
            rc = 0;
        }
    }
    free(buf);
    return rc;
}
