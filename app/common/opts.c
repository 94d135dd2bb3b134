/* SPDX-License-Identifier: BSD-3-Clause */
/* Options tables: usage text, getopt_long array, messages. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "common/opts.h"
#include "common/parse.h"

/* Column of the help text, and the width it is reflowed to. */
#define HELP_COL 22
#define HELP_WIDTH 78

/* "  -h, --name ARG" into @p buf; returns its length. */
static int
label(const struct cli_opt *op, char *buf, size_t len)
{
	int n;

	if (op->short_name != 0)
		n = snprintf(buf, len, "  -%c, --%s%s%s", op->short_name,
			op->name, op->arg != NULL ? " " : "",
			op->arg != NULL ? op->arg : "");
	else
		n = snprintf(buf, len, "  --%s%s%s", op->name,
			op->arg != NULL ? " " : "",
			op->arg != NULL ? op->arg : "");
	return n < 0 ? 0 : n >= (int)len ? (int)len - 1 : n;
}

/* @p text reflowed from column @p col (already reached) to HELP_WIDTH. */
static void
reflow(FILE *f, const char *text, int col)
{
	const char *p = text;
	int at = col, first = 1;

	while (*p != '\0') {
		size_t w;

		while (*p == ' ')
			p++;
		w = strcspn(p, " ");
		if (w == 0)
			break;
		if (!first && at + 1 + (int)w > HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
			first = 1;
		}
		if (!first) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", (int)w, p);
		at += (int)w;
		first = 0;
		p += w;
	}
	fputc('\n', f);
}

void
cli_opts_usage(const struct cli_opts *t, FILE *f)
{
	char buf[96];
	size_t i;
	int n;

	fprintf(f, "%s\n", t->usage);
	if (t->intro != NULL)
		fprintf(f, "\n%s", t->intro);
	for (i = 0; i < t->nb_opt; i++) {
		const struct cli_opt *op = &t->opt[i];

		if (op->heading != NULL)
			fprintf(f, "\n%s\n", op->heading);
		else if (i == 0)
			fputc('\n', f);
		n = label(op, buf, sizeof(buf));
		fputs(buf, f);
		if (op->help == NULL) {
			fputc('\n', f);
			continue;
		}
		if (n + 2 > HELP_COL) {
			fprintf(f, "\n%*s", HELP_COL, "");
		} else {
			fprintf(f, "%*s", HELP_COL - n, "");
		}
		reflow(f, op->help, HELP_COL);
	}
	if (t->outro != NULL)
		fprintf(f, "\n%s", t->outro);
}

const struct cli_opt *
cli_opts_find(const struct cli_opts *t, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < t->nb_opt; i++)
		if (strlen(t->opt[i].name) == len &&
		    strncmp(t->opt[i].name, name, len) == 0)
			return &t->opt[i];
	return NULL;
}

const struct cli_opt *
cli_opts_find_short(const struct cli_opts *t, int c)
{
	size_t i;

	for (i = 0; i < t->nb_opt && c != 0; i++)
		if (t->opt[i].short_name == c)
			return &t->opt[i];
	return NULL;
}

int
cli_opts_getopt(const struct cli_opts *t, struct option *lo, size_t nlo,
		char *shorts, size_t nshorts)
{
	size_t i, s = 0;

	if (t->nb_opt + 1 > nlo || nshorts < 2)
		return -ENOSPC;
	shorts[s++] = ':';
	for (i = 0; i < t->nb_opt; i++) {
		const struct cli_opt *op = &t->opt[i];

		lo[i].name = op->name;
		lo[i].has_arg = op->arg != NULL ? required_argument :
			no_argument;
		lo[i].flag = NULL;
		lo[i].val = op->id;
		if (op->short_name == 0)
			continue;
		if (s + 3 > nshorts)
			return -ENOSPC;
		shorts[s++] = op->short_name;
		if (op->arg != NULL)
			shorts[s++] = ':';
	}
	memset(&lo[t->nb_opt], 0, sizeof(lo[0]));
	shorts[s] = '\0';
	return 0;
}

void
cli_errf_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *c;

	va_start(ap, fmt);
	/* An error message may be cut to fit the caller's buffer. */
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* One line, whatever the quoted argument held. */
	for (c = err; errlen != 0 && *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

int
cli_bad_value(const struct cli_opt *op, const char *val, const char *why,
		char *err, size_t errlen)
{
	return cli_errf(err, errlen, "--%s: '%s' %s; expected %s", op->name,
		val, why, op->accepts);
}

int
cli_count_in(const struct cli_opt *op, const char *val, uint64_t min,
		uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	const char *why;

	if (cli_parse_count(val, UINT64_MAX, out, &why) != 0)
		return cli_bad_value(op, val, why, err, errlen);
	if (*out < min || *out > max)
		return cli_bad_value(op, val, "is out of range", err, errlen);
	return 0;
}

int
cli_seconds_in(const struct cli_opt *op, const char *val, uint64_t max_s,
		uint64_t *ns, char *err, size_t errlen)
{
	const char *why;

	if (cli_parse_seconds(val, max_s, ns, &why) != 0)
		return cli_bad_value(op, val, why, err, errlen);
	return 0;
}
