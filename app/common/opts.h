/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef CLI_OPTS_H
#define CLI_OPTS_H

/*
 * The options table of a CLI: one entry per option, from which come the
 * --help text (cli_opts_usage), the getopt_long array (cli_opts_getopt)
 * and the name look-up of a hand-written parser (cli_opts_find), so an
 * option cannot be in the help and not in the parser, or the other way
 * round. Also the one-line error messages both CLIs give for a bad value.
 */

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Most options of one CLI (the getopt_long array is built on the stack). */
#define CLI_OPTS_MAX 64

/* Parse results besides 0 and -1. */
#define CLI_OPTS_HELP 1
#define CLI_OPTS_VERSION 2

struct cli_opt {
	const char *heading;  /* printed as a group title before it, or NULL */
	const char *name;     /* long name, without "--" */
	char short_name;      /* one-letter form, or 0 */
	const char *arg;      /* value name in the help; NULL: no value */
	const char *help;     /* help text, reflowed to fit the width */
	const char *accepts;  /* what the value may be, for error messages */
	int id;               /* the CLI's own identifier */
};

struct cli_opts {
	const char *usage;    /* the "usage: ..." line, without newline */
	const char *intro;    /* paragraphs between it and the options */
	const struct cli_opt *opt;
	size_t nb_opt;
	const char *outro;    /* paragraphs after the options */
};

/* The --help text: usage line, intro, every option, outro. */
void cli_opts_usage(const struct cli_opts *t, FILE *f);

/* The entry named @p name (its first @p len characters), or NULL. */
const struct cli_opt *cli_opts_find(const struct cli_opts *t,
		const char *name, size_t len);

/* The entry with the one-letter name @p c, or NULL. */
const struct cli_opt *cli_opts_find_short(const struct cli_opts *t, int c);

/*
 * The getopt_long array of @p t into @p lo (room for @p nlo entries,
 * the terminating one included; val is the entry's id) and the short
 * option string into @p shorts (room for @p nshorts bytes), which starts
 * with ':' so that a missing value is reported as ':'. Returns 0, or
 * -ENOSPC if either does not fit.
 */
int cli_opts_getopt(const struct cli_opts *t, struct option *lo, size_t nlo,
		char *shorts, size_t nshorts);

/* Write a one-line message (control characters replaced) into @p err. */
void cli_errf_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write the message and evaluate to -1. A macro, not a variadic function
 * returning -1: the static analyzer does not follow variadic calls and
 * would take any value for the result. */
#define cli_errf(err, errlen, ...) (cli_errf_set(err, errlen, __VA_ARGS__), -1)

/* "--NAME: 'VAL' WHY; expected ACCEPTS"; returns -1. */
int cli_bad_value(const struct cli_opt *op, const char *val, const char *why,
		char *err, size_t errlen);

/* A count (cli_parse_count) within [min, max]; 0, or -1 with a message. */
int cli_count_in(const struct cli_opt *op, const char *val, uint64_t min,
		uint64_t max, uint64_t *out, char *err, size_t errlen);

/* Seconds (cli_parse_seconds), at most @p max_s, in ns; 0, or -1 with a
 * message. */
int cli_seconds_in(const struct cli_opt *op, const char *val, uint64_t max_s,
		uint64_t *ns, char *err, size_t errlen);

#endif /* CLI_OPTS_H */
