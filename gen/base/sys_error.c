/* sys_error.c — see sys_error.h. */
#include "base/sys_error.h"
#include <errno.h>
#include <stdio.h>

const char *sys_error_text(int e, char *buf, size_t n)
{
    switch (e) {
    case ENOENT: return "文件或目录不存在";
    case EACCES: case EPERM: return "没有权限";
    case ENOSPC: return "磁盘空间不足";
    case EDQUOT: return "磁盘配额已用完";
    case EROFS: return "文件系统是只读的";
    case EISDIR: return "这是一个目录";
    case ENOTDIR: return "路径中有一项不是目录";
    case ENAMETOOLONG: return "文件名太长";
    case EMFILE: case ENFILE: return "打开的文件太多";
    case EIO: return "磁盘读写出错";
    case ELOOP: return "符号链接太多（或成环）";
    case EEXIST: return "已经存在";
    case EBUSY: return "设备或文件正忙";
    case EXDEV: return "不能跨文件系统移动";
    case ENOMEM: return "内存不足";
    case EFBIG: return "文件太大";
    case ETXTBSY: return "文件正被使用";
    case 0: return "未知错误";
    }
    snprintf(buf, n, "系统错误 %d", e);
    return buf;
}

int sys_error_nospace(int e) { return e == ENOSPC || e == EDQUOT; }

const char *sys_write_failed(const char *path, int e, char *buf, size_t n)
{
    char tmp[64];
    if (sys_error_nospace(e)) snprintf(buf, n, "磁盘空间不足：写入 %s 失败", path);
    else snprintf(buf, n, "写入 %s 失败：%s", path, sys_error_text(e, tmp, sizeof tmp));
    return buf;
}
