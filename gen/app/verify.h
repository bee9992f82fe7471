/*
 * verify.h — `zhibu verify FILE [-i DIR] [-c RULES] [-t DIR]` (doc/audit.md):
 * does a filed PDF, workbook or manifest.txt still match the data it
 * claims to come from?
 */
#ifndef ZHIBU_VERIFY_H
#define ZHIBU_VERIFY_H

/**
 * argv[0] is "verify".  Exit status: 0 一致 (the fingerprint recomputed from
 * the inputs and the rebuilt document's bytes both match), 1 something
 * differs (named on stdout), 2 usage error, a file without a fingerprint,
 * or a document that cannot be rebuilt.
 */
int verify_main(int argc, char **argv);

#endif
