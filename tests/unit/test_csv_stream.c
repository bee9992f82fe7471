/* test_csv_stream.c — the streaming reader gives what the table reader keeps. */
#include "check.h"
#include "input/csv_read.h"
#include <stdlib.h>

typedef struct {
    char out[4096];
    int rows, ragged, stop_at_header;
} collect;

static int on_header(const csv_table *t, void *vp)
{
    collect *c = vp;
    snprintf(c->out + strlen(c->out), sizeof c->out - strlen(c->out), "H%d:%s|", t->ncols, t->header[0]);
    return c->stop_at_header;
}

static void on_row(const csv_table *t, const csv_row *r, void *vp)
{
    collect *c = vp;
    if (r->nfields != t->ncols) c->ragged++;
    else c->rows++;
    size_t n = strlen(c->out);
    snprintf(c->out + n, sizeof c->out - n, "%d:", r->line);
    for (int i = 0; i < r->nfields; i++) {
        n = strlen(c->out);
        snprintf(c->out + n, sizeof c->out - n, "%s,", r->fields[i]);
    }
    n = strlen(c->out);
    snprintf(c->out + n, sizeof c->out - n, "|");
}

TEST(csv_stream_matches_table)
{
    static const char text[] = "\xEF\xBB\xBF" "id , name\n"
                               "1, 甲 \n"
                               "\n"
                               "2,\"乙\n丙\"\n"
                               "3,x,extra\n"
                               " 4 ,\xE3\x80\x80丁\n";
    problems p1, p2;
    problems_init(&p1);
    problems_init(&p2);
    collect c = {0};
    csv_sink sink = {on_header, on_row, &c};
    csv_table s, t;
    CHECK_INT(csv_stream_bytes(text, sizeof text - 1, "a.csv", &s, &sink, &p1), 0);
    CHECK_INT(csv_read_bytes(text, sizeof text - 1, "a.csv", &t, &p2), 0);
    CHECK_STR(c.out, "H2:id|2:1,甲,|4:2,乙\n丙,|6:3,x,extra,|7:4,丁,|");
    CHECK_INT(c.rows, 3);
    CHECK_INT(c.ragged, 1);
    CHECK_INT(t.nrows, 3);
    CHECK_INT(t.nragged, 1);
    CHECK_INT(t.rows[1].line, 4);
    CHECK_STR(t.rows[2].fields[1], "丁");
    CHECK_INT(t.ragged[0].line, 6);
    CHECK_INT(s.encoding, ENC_UTF8_BOM);
    CHECK(s.nlines >= 7);
    CHECK_INT(p1.n, 1); /* the ragged row, reported by both */
    CHECK_INT(p2.n, 1);
    CHECK_INT(p1.v[0].line, 6);
    csv_table_free(&s);
    csv_table_free(&t);
    /* the header callback can stop the rows; the file is still checked */
    collect c2 = {.stop_at_header = 1};
    csv_sink sink2 = {on_header, on_row, &c2};
    static const char broken[] = "a,b\n1,2\n3,\"4\n";
    CHECK_INT(csv_stream_bytes(broken, sizeof broken - 1, "b.csv", &s, &sink2, &p1), -1);
    CHECK_INT(c2.rows, 0);
    CHECK_INT(p1.nfatal, 1);
    csv_table_free(&s);
    problems_free(&p1);
    problems_free(&p2);
}
