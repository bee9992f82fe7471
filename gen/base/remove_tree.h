/*
 * remove_tree.h — removing a file or a directory with everything in it:
 * a run's scratch directories (libxlsxwriter's temporaries, `verify`'s
 * rebuild) and a killed run's leftovers.
 */
#ifndef ZHIBU_REMOVE_TREE_H
#define ZHIBU_REMOVE_TREE_H

/** Remove path and, when it is a directory, what is in it, deepest first;
    links are removed, never followed.  Best effort: what cannot be removed
    stays.  errno is left as it was, so a caller cleaning up after a failed
    write still reports that write's errno (a full disk). */
void remove_tree(const char *path);

#endif
