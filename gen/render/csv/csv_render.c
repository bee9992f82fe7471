/* csv_render.c — see csv_render.h. */
#include "render/csv/csv_render.h"
#include "render/csv/csv_write.h"
#include "base/arena.h"
#include <stdlib.h>

int csv_render_table(const rtable *t, FILE *f)
{
    int n = t->ncols;
    const char **fields = xcalloc((size_t)(n ? n : 1), sizeof *fields);
    rcell *buf = xcalloc((size_t)(n ? n : 1), sizeof *buf);
    int rc = 0;
    csv_write_bom(f);
    for (int c = 0; c < n; c++) fields[c] = t->cols[c].title;
    csv_write_row(f, fields, n);
    for (size_t r = 0; r < t->nrows && rc == 0; r++) {
        const rcell *row = rtable_row(t, r, buf);
        if (!row) {
            rc = -1;
            break;
        }
        for (int c = 0; c < n; c++) fields[c] = row[c].text;
        csv_write_row(f, fields, n);
    }
    free(fields);
    free(buf);
    return rc || ferror(f) ? -1 : 0;
}

int csv_render(const rdoc *d, FILE *f)
{
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++)
            if (d->sections[i].blocks[j].kind == BLK_TABLE) return csv_render_table(d->sections[i].blocks[j].table, f);
    return -1;
}
