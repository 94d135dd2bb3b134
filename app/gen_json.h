/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_JSON_H
#define GEN_JSON_H

/*
 * A small streaming JSON writer: pretty-printed (two-space indent), keys
 * and strings escaped, doubles that are not finite written as null. Inside
 * an object every value has a key; inside an array (or at top level) the
 * key is NULL. Misuse (wrong nesting, a missing or extra key, too deep)
 * and write errors are remembered and reported by gen_json_end().
 */

#include <stdint.h>
#include <stdio.h>

#define GEN_JSON_DEPTH_MAX 16

struct gen_json {
	FILE *f;
	int depth;
	int err;                             /* sticky: misuse or I/O */
	int done;                            /* top-level value written */
	char kind[GEN_JSON_DEPTH_MAX];       /* '{' or '[' per level */
	int count[GEN_JSON_DEPTH_MAX];       /* values written per level */
};

void gen_json_init(struct gen_json *j, FILE *f);
void gen_json_obj_begin(struct gen_json *j, const char *key);
void gen_json_obj_end(struct gen_json *j);
void gen_json_arr_begin(struct gen_json *j, const char *key);
void gen_json_arr_end(struct gen_json *j);
void gen_json_str(struct gen_json *j, const char *key, const char *v);
void gen_json_u64(struct gen_json *j, const char *key, uint64_t v);
void gen_json_i64(struct gen_json *j, const char *key, int64_t v);
/* @p v with up to @p decimals digits after the point (trailing zeros
 * kept), or null if not finite. */
void gen_json_double(struct gen_json *j, const char *key, double v,
		int decimals);
void gen_json_bool(struct gen_json *j, const char *key, int v);
void gen_json_null(struct gen_json *j, const char *key);

/* Finish: newline after the top-level value, flush. Returns 0, or -1 if
 * the document is incomplete, was misused, or could not be written. */
int gen_json_end(struct gen_json *j);

#endif /* GEN_JSON_H */
