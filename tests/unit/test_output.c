/* test_output.c — file names from data, and the commit/abort of a run's files. */
#include "check.h"
#include "app/output.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int plain(const char *s) /* no '/', no control bytes, not . or .., not hidden */
{
    if (!s[0] || s[0] == '.' || strchr(s, '/')) return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F) return 0;
    return 1;
}

TEST(safe_name_stays_inside)
{
    char out[256];
    const char *bad[] = {"../evil", "../../etc/passwd", "/etc/passwd", "..", ".", "", "a/../b", "\x01\x02\x1f",
                         "-rf", " leading", ".hidden.pdf", "a\\b:c*d?e\"f<g>h|i", "../第一支部.pdf", ".zhibu-tmp-1-x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        safe_name(bad[i], out, sizeof out);
        CHECK(plain(out));
        CHECK(strlen(out) <= 80);
    }
    safe_name("../evil", out, sizeof out);
    CHECK_STR(out, "_._evil");
    safe_name("第一支部.pdf", out, sizeof out);
    CHECK_STR(out, "第一支部.pdf");
    safe_name("", out, sizeof out);
    CHECK_STR(out, "_");
}

TEST(safe_name_long_keeps_extension)
{
    char name[1024] = "", out[256];
    for (int i = 0; i < 100; i++) strcat(name, "党");
    strcat(name, ".pdf");
    safe_name(name, out, sizeof out);
    CHECK(strlen(out) <= 80);
    CHECK(strlen(out) > 70);
    CHECK_STR(out + strlen(out) - 4, ".pdf");
    /* whole characters only: 3 bytes each */
    CHECK_INT((strlen(out) - 4) % 3, 0);
    char small[10];
    safe_name(name, small, sizeof small);
    CHECK(strlen(small) <= 9);
    CHECK_INT(strlen(small) % 3, 0);
}

TEST(output_commit_and_abort)
{
    char base[] = "/tmp/zhibu-unit-XXXXXX", err[256];
    CHECK(mkdtemp(base) != NULL);
    output_set o;
    CHECK_INT(output_open(&o, base, "2022-09", err, sizeof err), 0);
    const char *t = output_add(&o, "a.csv");
    FILE *f = fopen(t, "w");
    fputs("new", f);
    fclose(f);
    char final[512];
    snprintf(final, sizeof final, "%s/2022-09/a.csv", base);
    CHECK(access(final, F_OK) != 0); /* not under its final name before commit */
    CHECK_INT(output_commit(&o, err, sizeof err), 0);
    CHECK(access(final, F_OK) == 0);
    CHECK(access(t, F_OK) != 0);
    output_free(&o);
    /* an aborted run leaves the committed file and no temporary */
    CHECK_INT(output_open(&o, base, "2022-09", err, sizeof err), 0);
    t = output_add(&o, "a.csv");
    f = fopen(t, "w");
    fputs("partial", f);
    fclose(f);
    output_abort(&o);
    output_free(&o);
    f = fopen(final, "r");
    char buf[16] = "";
    CHECK(f && fgets(buf, sizeof buf, f));
    if (f) fclose(f);
    CHECK_STR(buf, "new");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/2022-09", base);
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' || strncmp(e->d_name, ".zhibu-tmp-", 11) == 0) n++;
    if (d) closedir(d);
    CHECK_INT(n, 1);
    unlink(final);
    rmdir(dir);
    rmdir(base);
}

/* A run killed while libxlsxwriter had a temporary open leaves it in the
   workbook's scratch directory (".zhibu-tmp-<pid>-<name>.tmp-XXXXXX/tmp.XXXXXX");
   the next run removes the directory and what is in it. */
TEST(output_open_removes_stale_scratch_dirs)
{
    char base[] = "/tmp/zhibu-unit-XXXXXX", err[256], path[600];
    CHECK(mkdtemp(base) != NULL);
    snprintf(path, sizeof path, "%s/2022-09", base);
    CHECK_INT(mkdir(path, 0777), 0);
    /* pid 0x7fffffff is never a live process */
    snprintf(path, sizeof path, "%s/2022-09/.zhibu-tmp-2147483647-x.xlsx.tmp-abcdef", base);
    CHECK_INT(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/2022-09/.zhibu-tmp-2147483647-x.xlsx.tmp-abcdef/tmp.QwErTy", base);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    output_set o;
    CHECK_INT(output_open(&o, base, "2022-09", err, sizeof err), 0);
    output_free(&o);
    snprintf(path, sizeof path, "%s/2022-09/.zhibu-tmp-2147483647-x.xlsx.tmp-abcdef", base);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/2022-09", base);
    CHECK_INT(rmdir(path), 0); /* nothing else left in it */
    rmdir(base);
}
