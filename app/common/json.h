/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef CLI_JSON_H
#define CLI_JSON_H

/*
 * A small streaming JSON writer: pretty-printed (two-space indent), keys
 * and strings escaped, doubles that are not finite written as null. Inside
 * an object every value has a key; inside an array (or at top level) the
 * key is NULL. Misuse (wrong nesting, a missing or extra key, too deep)
 * and write errors are remembered and reported by cli_json_end().
 */

#include <stdint.h>
#include <stdio.h>

#define CLI_JSON_DEPTH_MAX 16

struct cli_json {
	FILE *f;
	int depth;
	int err;                             /* sticky: misuse or I/O */
	int done;                            /* top-level value written */
	char kind[CLI_JSON_DEPTH_MAX];       /* '{' or '[' per level */
	int count[CLI_JSON_DEPTH_MAX];       /* values written per level */
};

void cli_json_init(struct cli_json *j, FILE *f);
void cli_json_obj_begin(struct cli_json *j, const char *key);
void cli_json_obj_end(struct cli_json *j);
void cli_json_arr_begin(struct cli_json *j, const char *key);
void cli_json_arr_end(struct cli_json *j);
void cli_json_str(struct cli_json *j, const char *key, const char *v);
void cli_json_u64(struct cli_json *j, const char *key, uint64_t v);
void cli_json_i64(struct cli_json *j, const char *key, int64_t v);
/* @p v with up to @p decimals digits after the point (trailing zeros
 * kept), or null if not finite. */
void cli_json_double(struct cli_json *j, const char *key, double v,
		int decimals);
void cli_json_bool(struct cli_json *j, const char *key, int v);
void cli_json_null(struct cli_json *j, const char *key);
/* A summary of @p samples values: "samples", then each of the @p n keys
 * @p names with its value in @p v, or null when there is no sample. */
void cli_json_summary(struct cli_json *j, uint64_t samples,
		const char *const *names, const uint64_t *v, unsigned int n);

/* Finish: newline after the top-level value, flush. Returns 0, or -1 if
 * the document is incomplete, was misused, or could not be written. */
int cli_json_end(struct cli_json *j);

#endif /* CLI_JSON_H */
