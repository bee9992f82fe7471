/*
 * fingerprint.h — the audit record of a run and its manifest.txt
 * (doc/audit.md defines both so that anyone can recompute them).
 *
 * A record holds the zhibu version, the run ("monthly 2022-09"), the
 * options that change outputs ("keep-going=no") and one entry per file:
 * every input, the rules and every template the run reads (and, in a
 * manifest, every output it wrote), each with its SHA-256 and size.
 * The fingerprint is the SHA-256 of the record's text without its outputs:
 *
 *     zhibu 1.0.0
 *     run monthly 2022-09
 *     options keep-going=no
 *     input <sha256> <size> attendance.csv
 *     …                                       (inputs, then rules, then
 *     rules <sha256> <size> rules.ini          templates; each kind sorted
 *     template <sha256> <size> monthly.ini     by name, byte order)
 *
 * manifest.txt is "fingerprint <hex>", that text, then the "output" lines.
 * Names, never paths: the fingerprint does not depend on where the files
 * are, when or in which locale it is computed, or how a directory lists.
 */
#ifndef ZHIBU_FINGERPRINT_H
#define ZHIBU_FINGERPRINT_H
#include "audit/sha256.h"
#include <stddef.h>
#include <stdio.h>

typedef enum { AUDIT_INPUT, AUDIT_RULES, AUDIT_TEMPLATE, AUDIT_OUTPUT, AUDIT_KINDS } audit_kind;

typedef struct {
    audit_kind kind;
    char *name;              /* a file name, no directory */
    char sha[SHA256_HEX];
    long long size;
} audit_file;

typedef struct {
    char fingerprint[SHA256_HEX]; /* set by audit_seal, or as a manifest states it */
    char *version, *run, *options;
    audit_file *files;
    size_t nfiles, cap;
} audit_record;

/** "input", "rules", "template", "output": the line's first word. */
const char *audit_kind_word(audit_kind k);

void audit_init(audit_record *r, const char *version, const char *run, const char *options);
void audit_free(audit_record *r);

/**
 * Add the file at path as entry `name` of kind k, hashing its bytes.
 * 0 ok; 1 when the file does not exist (nothing added); -1 with a message
 * in err when it cannot be read.
 */
int audit_add_path(audit_record *r, audit_kind k, const char *name, const char *path, char *err, size_t errlen);
/** Add an entry whose hash is known (a written output, a manifest's line). */
void audit_add_hash(audit_record *r, audit_kind k, const char *name, const char *sha, long long size);

/** Sort the entries (kind, then name in byte order) and compute the fingerprint. */
void audit_seal(audit_record *r);

/** The text the fingerprint is the SHA-256 of (malloc'ed, NUL-terminated). */
char *audit_preimage(const audit_record *r, size_t *len);

/** The entry of kind k named name, or NULL. */
const audit_file *audit_find(const audit_record *r, audit_kind k, const char *name);

/** Write the record as manifest.txt (sealed first). 0 ok. */
int audit_manifest_write(const audit_record *r, FILE *f);

/**
 * Read a manifest.  The stated fingerprint is kept in r->fingerprint (not
 * recomputed: compare it with a copy sealed by audit_seal to see whether the
 * manifest itself was edited).  0 ok; -1 with a message in err.
 */
int audit_manifest_parse(const char *text, size_t n, audit_record *r, char *err, size_t errlen);
int audit_manifest_read(const char *path, audit_record *r, char *err, size_t errlen);

#endif
