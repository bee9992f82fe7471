/*
 * sys_error.h — system errors (errno) in Chinese, for messages.
 *
 * strerror() speaks the C locale's English; every message of zhibu is in
 * Chinese, and a full disk must say so plainly: 磁盘空间不足：写入 … 失败.
 */
#ifndef ZHIBU_SYS_ERROR_H
#define ZHIBU_SYS_ERROR_H
#include <stddef.h>

/** The Chinese text of errno value e ("文件或目录不存在" …); buf holds the rare unnamed ones. */
const char *sys_error_text(int e, char *buf, size_t n);
/** 1 when e means the disk (or the user's quota) is full. */
int sys_error_nospace(int e);
/** The message of a failed write of `path`: "磁盘空间不足：写入 PATH 失败" or "写入 PATH 失败：…". */
const char *sys_write_failed(const char *path, int e, char *buf, size_t n);

#endif
