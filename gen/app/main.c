/*
 * main.c — the zhibu command line.
 *
 *   zhibu monthly  --month 2022-09   monthly branch reports
 *   zhibu halfyear --half 2022-H2    half-year 双报告 forms
 *   zhibu annual   --year 2022       year-end assessment
 *   zhibu check    [period]          only the input problems
 *   zhibu verify   FILE              does a filed document match its data (verify.c)
 */
#include "input/parse.h"
#include "app/run.h"
#include "app/verify.h"
#include "app/version.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void usage(FILE *f)
{
    fputs("用法 / usage:\n"
          "  zhibu monthly  --month YYYY-MM [选项]   每月：主题党日、出勤、党费、下沉社区检查\n"
          "  zhibu halfyear --half YYYY-H1|H2 [选项] 半年：个人下沉社区情况报告表（双报告）\n"
          "  zhibu annual   --year YYYY [选项]      年度：党员考核评价、单位双报告\n"
          "  zhibu check    [--month|--half|--year] [选项]  只检查输入数据\n"
          "  zhibu verify   FILE [-i DIR] [-c FILE] [-t DIR]  核对 PDF、工作簿或 manifest.txt 与输入数据是否一致\n"
          "\n"
          "选项 / options:\n"
          "  -i, --input DIR      输入目录（默认 input/）\n"
          "  -c, --rules FILE     规则文件（默认 input/rules.ini，没有则用 templates/rules.ini）\n"
          "  -o, --output DIR     输出目录（默认 output/）\n"
          "  -t, --templates DIR  模板目录（默认 templates/）\n"
          "  -k, --keep-going     跳过有错误的数据行，照样生成报告（会说明跳过了几行）\n"
          "  -j, --jobs N         并行生成 PDF 的进程数（默认为 CPU 核数）\n"
          "  -f, --format LIST    输出格式：pdf,xlsx,csv（默认全部；csv 总会生成）\n"
          "      --ledger FILE    整改台账：改过的工作簿（.xlsx）或 CSV（默认 输入目录/ledger.xlsx 或 ledger.csv）\n"
          "  -q, --quiet          不显示进度\n"
          "  -h, --help           显示本帮助\n"
          "  -V, --version        显示版本\n"
          "\n"
          "每次运行在 output/<期间>/ 写出 manifest.txt：数据指纹（输入、规则、模板的 SHA-256），\n"
          "以及每个输入和输出文件的 SHA-256；每份 PDF 末页印有数据指纹和二维码。\n"
          "核对的用法：zhibu verify --help\n"
          "\n"
          "退出状态 / exit status: 0 成功；1 输入数据有错误；2 用法或规则配置错误\n"
          "  verify：0 一致；1 不一致（指出哪个文件）；2 文件没有数据指纹或无法重新生成\n",
          f);
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhibu: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n（zhibu --help 查看用法）\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"month", required_argument, 0, 'm'}, {"half", required_argument, 0, 'H'},
        {"year", required_argument, 0, 'y'}, {"input", required_argument, 0, 'i'},
        {"rules", required_argument, 0, 'c'}, {"output", required_argument, 0, 'o'},
        {"templates", required_argument, 0, 't'}, {"keep-going", no_argument, 0, 'k'},
        {"jobs", required_argument, 0, 'j'}, {"format", required_argument, 0, 'f'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'}, {"ledger", required_argument, 0, 'L'}, {0, 0, 0, 0},
    };
    /* verify has options of its own */
    if (argc > 1 && !strcmp(argv[1], "verify")) return verify_main(argc - 1, argv + 1);
    run_options o = {.input_dir = "input", .output_dir = "output"};
    const char *month = NULL, *half = NULL, *year = NULL;
    int c;
    /* GNU getopt permutes: options may come before or after the command */
    while ((c = getopt_long(argc, argv, "m:H:y:i:c:o:t:kj:f:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': month = optarg; break;
        case 'H': half = optarg; break;
        case 'y': year = optarg; break;
        case 'i': o.input_dir = optarg; break;
        case 'c': o.rules_file = optarg; break;
        case 'o': o.output_dir = optarg; break;
        case 't': o.templates_dir = optarg; break;
        case 'k': o.keep_going = 1; break;
        case 'q': o.quiet = 1; break;
        case 'L': o.ledger_file = optarg; break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 256) return bad_usage("--jobs 应为 1 到 256 的整数，而不是“%s”", optarg);
            o.jobs = (int)j;
            break;
        }
        case 'f':
            o.no_pdf = !strstr(optarg, "pdf");
            o.no_xlsx = !strstr(optarg, "xlsx");
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("zhibu %s\n", ZHIBU_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[optind++];
    if (optind < argc) return bad_usage("多余的参数“%s”", argv[optind]);

    if (!strcmp(cmd, "monthly")) o.kind = RUN_MONTHLY;
    else if (!strcmp(cmd, "halfyear")) o.kind = RUN_HALFYEAR;
    else if (!strcmp(cmd, "annual")) o.kind = RUN_ANNUAL;
    else if (!strcmp(cmd, "check")) o.kind = RUN_CHECK;
    else return bad_usage("未知的命令“%s”（应为 monthly、halfyear、annual 或 check）", cmd);

    int given = !!month + !!half + !!year;
    if (given > 1) return bad_usage("%s--month、--half、--year 只能给一个", "");
    if (o.kind == RUN_MONTHLY && !month) return bad_usage("%smonthly 需要 --month YYYY-MM", "");
    if (o.kind == RUN_HALFYEAR && !half) return bad_usage("%shalfyear 需要 --half YYYY-H1 或 YYYY-H2", "");
    if (o.kind == RUN_ANNUAL && !year) return bad_usage("%sannual 需要 --year YYYY", "");
    if ((o.kind == RUN_MONTHLY && !month) || (o.kind == RUN_HALFYEAR && !half) || (o.kind == RUN_ANNUAL && !year))
        return 2;
    if (month) {
        int ym;
        if (parse_month(month, &ym)) return bad_usage("--month 应如 2022-09，而不是“%s”", month);
        period_monthly(&o.period, ym);
    } else if (half) {
        int y, h;
        char tail;
        if (sscanf(half, "%4d-H%d%c", &y, &h, &tail) != 2 || y < 1900 || y > 2999 || (h != 1 && h != 2))
            return bad_usage("--half 应如 2022-H2，而不是“%s”", half);
        period_halfyear(&o.period, y, h);
    } else if (year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (*end || y < 1900 || y > 2999) return bad_usage("--year 应如 2022，而不是“%s”", year);
        period_annual(&o.period, (int)y);
    }
    if (o.kind == RUN_CHECK) o.period.kind = RUN_CHECK;
    return run(&o);
}
