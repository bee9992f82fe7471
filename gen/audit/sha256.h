/*
 * sha256.h — SHA-256 digests as lowercase hex, through OpenSSL's libcrypto
 * (EVP).  The audit trail's only hash: never a hand-written one.
 */
#ifndef ZHIBU_SHA256_H
#define ZHIBU_SHA256_H
#include <stddef.h>

enum { SHA256_HEX = 65 }; /* 64 hex digits and a NUL */

/** The SHA-256 of n bytes as 64 lowercase hex digits. */
void sha256_hex(const void *data, size_t n, char hex[SHA256_HEX]);

/**
 * The SHA-256 and the size of a file's bytes.  0 ok; -1 with errno set
 * (ENOENT for a missing file, EISDIR for a directory).
 */
int sha256_file(const char *path, char hex[SHA256_HEX], long long *size);

#endif
