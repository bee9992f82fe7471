/*
 * run_audit.h — the audit trail of a run (doc/audit.md): which files it
 * reads and their fingerprint, the words that say how to rebuild its
 * documents, and the manifest.txt it writes beside its outputs.
 *
 * The run and `zhibu verify` both collect the record here, so a verify
 * recomputes exactly what the run computed.
 */
#ifndef ZHIBU_RUN_AUDIT_H
#define ZHIBU_RUN_AUDIT_H
#include "app/output.h"
#include "app/run.h"
#include "audit/fingerprint.h"

/** The rules file a run reads: -c, else <input>/rules.ini, else <templates>/rules.ini. */
const char *run_rules_path(const run_options *o, const char *tdir, char *buf, size_t n);

/**
 * The sealed audit record of a run: zhibu's version, the run and its
 * options, the input files of o->input_dir that exist (the six CSVs), the
 * ledger (o->ledger_file, else ledger.xlsx / ledger.csv of the input
 * directory), the rules file and the templates of the run's kind.  0 ok;
 * -1 with err when a file exists but cannot be read.
 */
int run_audit_collect(const run_options *o, const char *tdir, const char *rules_path, audit_record *r, char *err,
                      size_t errlen);

/** "monthly 2022-09" and "keep-going=no": the record's run and options words. */
void run_audit_words(const run_options *o, char *run, size_t rn, char *opts, size_t on);

/** Back from those words to o's kind, period and keep_going.  0 ok; -1 when they are not zhibu's. */
int run_audit_parse(const char *run, const char *opts, run_options *o);

/**
 * Hash every file of the output set, add an "output" line for each to the
 * record and write it as manifest.txt into the set (where the run reserved
 * it, else reserved now).  0 ok; -1 with err.
 */
int run_manifest_write(output_set *out, audit_record *r, char *err, size_t errlen);

#endif
