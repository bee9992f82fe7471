/* columns.c — see columns.h. */
#include "input/columns.h"
#include "base/textutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Aliases are matched after NFKC, white space removal and case folding.
   When two header cells match one column, the one matching the earlier name
   of the list wins (the English name, then the aliases in order), so the
   specific 党员编号 beats the loose 编号. */
static const csv_colspec member_cols[M_N] = {
    {"member_id", "党员编号|编号", 1},
    {"name", "姓名", 1},
    {"branch", "支部|所在支部|党支部|所属党支部|所在党支部|编入党支部|所属党组织", 1},
    {"unit", "单位|所在单位", 0},
    {"category", "人员类别|类别", 0},
    {"special_post", "特殊岗位", 0},
    {"leader", "领导干部|是否领导干部|党员领导干部", 0},
    {"monthly_dues", "月党费|核定党费|月缴党费|应缴党费|每月党费", 1},
    {"dues_base", "党费基数|月收入", 0},
    {"joined", "入党日期|转入日期|入党时间|转入时间", 0},
    {"left", "转出日期|转出时间", 0},
};

static const csv_colspec meeting_cols[MT_N] = {
    {"meeting_id", "活动编号", 1},
    {"branch", "支部", 1},
    {"date", "日期|活动日期|活动时间|开展时间", 1},
    {"kind", "类型|活动类型", 0},
    {"topic", "主题", 0},
    {"actions", "规定动作", 0},
    {"minutes", "会议记录", 0},
};

static const csv_colspec attendance_cols[A_N] = {
    {"meeting_id", "活动编号", 1},
    {"member_id", "党员编号", 1},
    {"status", "状态|出勤|签到状态|出勤情况", 1},
    {"reason", "请假事由|备注", 0},
};

static const csv_colspec dues_cols[D_N] = {
    {"member_id", "党员编号", 1},
    {"month", "所属月份|月份|党费月份|缴费月份", 1},
    {"amount", "金额|实缴金额|缴纳金额|交纳金额|实缴党费|收缴金额", 1},
    {"paid_on", "交纳日期|缴纳日期|缴费时间|交纳时间|缴纳时间|支付时间", 0},
    {"channel", "渠道", 0},
    {"status", "状态|缴费状态|缴纳状态|支付状态", 0},
};

static const csv_colspec service_cols[S_N] = {
    {"member_id", "党员编号", 1},
    {"date", "日期|服务日期|服务时间", 1},
    {"hours", "时长|小时|服务时长", 1},
    {"community", "社区|小区", 0},
    {"content", "内容|服务内容", 0},
    {"confirmed_by", "确认人|确认", 0},
    {"rating", "群众评价|评价", 0},
};

static const csv_colspec exemption_cols[E_N] = {
    {"member_id", "党员编号", 1},
    {"type", "类型|事由", 1},
    {"from", "开始日期", 1},
    {"to", "结束日期", 1},
};

const input_file_spec input_files[F_COUNT] = {
    [F_MEMBERS] = {"members.csv", "members", member_cols, M_N, 0},
    [F_MEETINGS] = {"meetings.csv", "meetings", meeting_cols, MT_N, 0},
    [F_ATTENDANCE] = {"attendance.csv", "attendance", attendance_cols, A_N, 0},
    [F_DUES] = {"dues.csv", "dues", dues_cols, D_N, 0},
    [F_SERVICE] = {"service.csv", "service", service_cols, S_N, 0},
    [F_EXEMPTIONS] = {"exemptions.csv", "exemptions", exemption_cols, E_N, 1},
};

int input_file_by_key(const char *key)
{
    for (int f = 0; f < F_COUNT; f++)
        if (!strcmp(input_files[f].key, key)) return f;
    return -1;
}

int input_column_by_name(input_file f, const char *name)
{
    for (int i = 0; i < input_files[f].ncols; i++)
        if (!strcmp(input_files[f].cols[i].name, name)) return i;
    return -1;
}

int column_map_load(column_map *m, rarena *a, const ini_file *ini, const char *sec, char *err, size_t errlen)
{
    const char *fkey = sec + strlen("columns.");
    int f = input_file_by_key(fkey);
    if (f < 0) {
        ini_file_say(err, errlen, ini->name, ini_file_line(ini, sec, NULL),
            "[%s]: 未知的文件“%s”（应为 members、meetings、attendance、dues、service 或 exemptions）", sec, fkey);
        return -1;
    }
    const input_file_spec *fs = &input_files[f];
    dictionary *d = ini->dict;
    int nk = iniparser_getsecnkeys(d, sec), rc = 0;
    const char **ks = xcalloc((size_t)nk + 1, sizeof *ks);
    if (nk > 0) iniparser_getseckeys(d, sec, ks);
    for (int i = 0; i < nk && rc == 0; i++) {
        const char *key = strchr(ks[i], ':') ? strchr(ks[i], ':') + 1 : ks[i];
        int line = ini_file_line(ini, sec, key);
        int c = input_column_by_name((input_file)f, key);
        const char *v = iniparser_getstring(d, ks[i], "");
        if (c < 0) {
            char list[512] = "";
            for (int k = 0; k < fs->ncols; k++) {
                strncat(list, fs->cols[k].name, sizeof list - strlen(list) - 1);
                if (k + 1 < fs->ncols) strncat(list, "、", sizeof list - strlen(list) - 1);
            }
            ini_file_say(err, errlen, ini->name, line, "[%s] %s: %s 没有这一列（它的列是 %s）", sec, key, fs->file, list);
            rc = -1;
        } else if (text_blank(v)) {
            ini_file_say(err, errlen, ini->name, line, "[%s] %s: 应写 %s 中这一列的表头文字，不能为空", sec, key, fs->file);
            rc = -1;
        } else {
            for (int k = 0; k < fs->ncols && rc == 0; k++)
                if (k != c && m->header[f][k] && text_key_eq(m->header[f][k], v)) {
                    ini_file_say(err, errlen, ini->name, line, "[%s] %s: 表头“%s”已经指定给了 %s：一个表头只能对应一列", sec,
                        key, v, fs->cols[k].name);
                    rc = -1;
                }
            if (rc == 0) m->header[f][c] = arena_strdup(a, v);
        }
    }
    free(ks);
    return rc;
}
