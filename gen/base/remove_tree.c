/* remove_tree.c — see remove_tree.h. */
#include "base/remove_tree.h"
#include <errno.h>
#include <ftw.h>
#include <stdio.h>

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path); /* a file, a link, or a directory emptied before it (FTW_DEPTH) */
    return 0;
}

void remove_tree(const char *path)
{
    int saved = errno; /* the failure a caller cleans up after is the one to report */
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    errno = saved;
}
