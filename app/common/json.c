/* SPDX-License-Identifier: BSD-3-Clause */
/* Streaming JSON writer for the CLIs' reports. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "common/json.h"

void
cli_json_init(struct cli_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void
indent(struct cli_json *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void
put_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Write what comes before a value: separator, indentation and key. */
static int
value_start(struct cli_json *j, const char *key)
{
	if (j->err)
		return -1;
	if (j->depth == 0) {
		if (j->done || key != NULL) {
			j->err = 1;
			return -1;
		}
		return 0;
	}
	if ((j->kind[j->depth - 1] == '{') != (key != NULL)) {
		j->err = 1;
		return -1;
	}
	if (j->count[j->depth - 1]++ > 0)
		fputc(',', j->f);
	indent(j);
	if (key != NULL) {
		put_str(j->f, key);
		fputs(": ", j->f);
	}
	return 0;
}

static void
value_end(struct cli_json *j)
{
	if (j->depth == 0)
		j->done = 1;
}

static void
open_level(struct cli_json *j, const char *key, char kind)
{
	if (value_start(j, key) != 0)
		return;
	if (j->depth == CLI_JSON_DEPTH_MAX) {
		j->err = 1;
		return;
	}
	fputc(kind, j->f);
	j->kind[j->depth] = kind;
	j->count[j->depth] = 0;
	j->depth++;
}

static void
close_level(struct cli_json *j, char kind)
{
	if (j->err)
		return;
	if (j->depth == 0 || j->kind[j->depth - 1] != kind) {
		j->err = 1;
		return;
	}
	j->depth--;
	if (j->count[j->depth] > 0)
		indent(j);
	fputc(kind == '{' ? '}' : ']', j->f);
	value_end(j);
}

void
cli_json_obj_begin(struct cli_json *j, const char *key)
{
	open_level(j, key, '{');
}

void
cli_json_obj_end(struct cli_json *j)
{
	close_level(j, '{');
}

void
cli_json_arr_begin(struct cli_json *j, const char *key)
{
	open_level(j, key, '[');
}

void
cli_json_arr_end(struct cli_json *j)
{
	close_level(j, '[');
}

void
cli_json_str(struct cli_json *j, const char *key, const char *v)
{
	if (value_start(j, key) != 0)
		return;
	if (v == NULL)
		fputs("null", j->f);
	else
		put_str(j->f, v);
	value_end(j);
}

void
cli_json_u64(struct cli_json *j, const char *key, uint64_t v)
{
	if (value_start(j, key) != 0)
		return;
	fprintf(j->f, "%" PRIu64, v);
	value_end(j);
}

void
cli_json_i64(struct cli_json *j, const char *key, int64_t v)
{
	if (value_start(j, key) != 0)
		return;
	fprintf(j->f, "%" PRId64, v);
	value_end(j);
}

void
cli_json_double(struct cli_json *j, const char *key, double v, int decimals)
{
	if (value_start(j, key) != 0)
		return;
	if (!isfinite(v))
		fputs("null", j->f);
	else
		fprintf(j->f, "%.*f", decimals < 0 ? 0 : decimals,
			v == 0 ? 0.0 : v); /* no "-0" */
	value_end(j);
}

void
cli_json_bool(struct cli_json *j, const char *key, int v)
{
	if (value_start(j, key) != 0)
		return;
	fputs(v ? "true" : "false", j->f);
	value_end(j);
}

void
cli_json_null(struct cli_json *j, const char *key)
{
	if (value_start(j, key) != 0)
		return;
	fputs("null", j->f);
	value_end(j);
}

int
cli_json_end(struct cli_json *j)
{
	if (j->err || j->depth != 0 || !j->done)
		return -1;
	fputc('\n', j->f);
	if (fflush(j->f) != 0 || ferror(j->f))
		return -1;
	return 0;
}

void
cli_json_summary(struct cli_json *j, uint64_t samples,
		const char *const *names, const uint64_t *v, unsigned int n)
{
	unsigned int i;

	cli_json_u64(j, "samples", samples);
	for (i = 0; i < n; i++)
		if (samples != 0)
			cli_json_u64(j, names[i], v[i]);
		else
			cli_json_null(j, names[i]);
}
