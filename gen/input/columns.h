/*
 * columns.h — the columns of each input file (SPEC: Inputs, items 14–15).
 *
 * One table per file: our column names, their aliases (the header texts of
 * real platform and Excel exports), and which are required.  The loader
 * binds headers through it, and the rules file's [columns.<file>] sections
 * (a user's own header names for our columns) are checked against it.
 */
#ifndef ZHIBU_COLUMNS_H
#define ZHIBU_COLUMNS_H
#include "base/arena.h"
#include "input/csv_read.h"
#include "input/ini_file.h"

typedef enum { F_MEMBERS, F_MEETINGS, F_ATTENDANCE, F_DUES, F_SERVICE, F_EXEMPTIONS, F_COUNT } input_file;

/* Column indexes of each file, in the order of its table. */
enum { M_ID, M_NAME, M_BRANCH, M_UNIT, M_CAT, M_SPECIAL, M_LEADER, M_DUES, M_BASE, M_JOINED, M_LEFT, M_N };
enum { MT_ID, MT_BRANCH, MT_DATE, MT_KIND, MT_TOPIC, MT_ACTIONS, MT_MINUTES, MT_N };
enum { A_MEETING, A_MEMBER, A_STATUS, A_REASON, A_N };
enum { D_MEMBER, D_MONTH, D_AMOUNT, D_PAID, D_CHANNEL, D_STATUS, D_N };
enum { S_MEMBER, S_DATE, S_HOURS, S_COMMUNITY, S_CONTENT, S_CONFIRMER, S_RATING, S_N };
enum { E_MEMBER, E_TYPE, E_FROM, E_TO, E_N };
enum { MAX_FILE_COLS = 16 };

typedef struct {
    const char *file;          /* "members.csv" */
    const char *key;           /* "members": the <file> of [columns.<file>] */
    const csv_colspec *cols;
    int ncols;
    int optional;              /* the file may be absent (exemptions.csv) */
} input_file_spec;

extern const input_file_spec input_files[F_COUNT];

/** The user's header text for each column, from [columns.<file>]; NULL = none. */
typedef struct {
    const char *header[F_COUNT][MAX_FILE_COLS];
} column_map;

/** The file of a [columns.<file>] key ("members" …); -1 if unknown. */
int input_file_by_key(const char *key);
/** The index of column `name` in file f; -1 if unknown. */
int input_column_by_name(input_file f, const char *name);

/**
 * Read the section `sec` ("columns.members" …) of a rules file into m
 * (texts copied into a).  An unknown file or column, an empty value, or one
 * header given to two columns is a configuration error: returns -1 with
 * `file:line: [section] key: what is wrong` in err.
 */
int column_map_load(column_map *m, rarena *a, const ini_file *ini, const char *sec, char *err, size_t errlen);

#endif
