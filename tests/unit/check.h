/*
 * check.h — a minimal unit-test harness.  Each TEST() registers itself; the
 * runner (tests/unit/main.c) runs them all and prints TAP-like lines
 * ("ok N name" / "not ok N name") that tests/run-tests counts.
 */
#ifndef ZHIBU_CHECK_H
#define ZHIBU_CHECK_H
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(int *failed);
void test_register(const char *name, test_fn fn);

#define TEST(name)                                                        \
    static void test_##name(int *failed_);                                \
    __attribute__((constructor)) static void register_##name(void)       \
    { test_register(#name, test_##name); }                                \
    static void test_##name(int *failed_)

#define CHECK(cond) do { if (!(cond)) {                                   \
    fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    (*failed_)++; } } while (0)

#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b);             \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) {                              \
    fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,   \
            a_ ? a_ : "(null)", b_ ? b_ : "(null)"); (*failed_)++; } } while (0)

#define CHECK_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", \
    __FILE__, __LINE__, #a, a_, b_); (*failed_)++; } } while (0)

#endif
