/* fuzz_csv.c — libFuzzer target: the CSV reader with encoding detection
 * (csv_read_bytes) and header binding (csv_bind, with and without a user's
 * mapping) with the members.csv and service.csv column sets.  Any input
 * must give either a table or a file-level problem, never a crash, a hang
 * or a leak. */
#include "input/csv_read.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const csv_colspec cols[] = {
    {"member_id", "党员编号|编号", 1}, {"name", "姓名", 1},
    {"branch", "支部|所在支部|党支部", 1}, {"unit", "单位|所在单位", 0},
    {"date", "日期|服务日期", 0}, {"hours", "时长|小时", 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    problems probs;
    problems_init(&probs);
    csv_table t;
    if (csv_read_bytes((const char *)data, size, "fuzz.csv", &t, &probs) == 0) {
        int idx[sizeof cols / sizeof cols[0]];
        csv_bind(&t, cols, (int)(sizeof cols / sizeof cols[0]), NULL, idx, &probs);
        /* with a user's mapping, as [columns.<file>] gives it */
        static const char *const mapped[] = {NULL, "名字", "所属党组织", NULL, NULL, "时长"};
        csv_bind_opts o = {mapped, "columns.members"};
        csv_bind(&t, cols, (int)(sizeof cols / sizeof cols[0]), &o, idx, &probs);
        /* every row has the header's number of fields */
        for (size_t i = 0; i < t.nrows; i++)
            for (int c = 0; c < t.ncols; c++)
                if (!t.rows[i].fields[c]) __builtin_trap();
    }
    /* every problem formats */
    char buf[2048];
    for (size_t i = 0; i < probs.n; i++) problem_format(&probs.v[i], buf, sizeof buf);
    csv_table_free(&t);
    problems_free(&probs);
    return 0;
}
