/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The --help text of emit-gen and emit-sink against their parsers: every
 * option of a CLI's table is in its help, and every --option the help
 * mentions is taken by its parser (none is refused as unknown), so the
 * two cannot drift apart. No EAL needed.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/opts.h"
#include "gen_opts.h"
#include "sink.h"

#define NAME_MAX_LEN 64
#define ARG_LEN 80

/* How a CLI is asked about one option. */
struct cli {
	const char *prog;
	const struct cli_opts *(*table)(void);
	void (*usage)(FILE *f);
	/* 1 if the parser refuses "--name 1" as an unknown option. */
	int (*unknown)(const char *name);
};

static int
gen_unknown(const char *name)
{
	char a0[ARG_LEN], a1[] = "1", err[512];
	char *argv[] = { a0, a1 };
	struct gen_opts o;
	int rc;

	(void)snprintf(a0, sizeof(a0), "--%s", name);
	rc = gen_opts_parse(2, argv, &o, err, sizeof(err));
	return rc == -1 && strncmp(err, "unknown option", 14) == 0;
}

static int
sink_unknown(const char *name)
{
	char a0[] = "emit-sink", a1[ARG_LEN], a2[] = "1", err[512];
	char *argv[] = { a0, a1, a2, NULL };
	struct sink_opts o;
	int rc;

	(void)snprintf(a1, sizeof(a1), "--%s", name);
	rc = sink_opts_parse(3, argv, &o, err, sizeof(err));
	return rc == -1 && strncmp(err, "unknown option", 14) == 0;
}

static const struct cli clis[] = {
	{ "emit-gen", gen_opts_table, gen_opts_usage, gen_unknown },
	{ "emit-sink", sink_opts_table, sink_usage, sink_unknown },
};

/* The --help text, in a buffer the caller frees. */
static char *
help_of(const struct cli *c)
{
	/* Static: open_memstream writes them back at fclose, after which
	 * the text is the caller's. */
	static char *buf;
	static size_t len;
	FILE *f;

	buf = NULL;
	len = 0;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	c->usage(f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	assert_true(len > 0);
	return buf;
}

static int
name_char(int c)
{
	return isalnum(c) || c == '-';
}

/* 1 if @p text has "--name" as a whole word. */
static int
mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(text, "--"); p != NULL; p = strstr(p + 2, "--"))
		if ((p == text || !name_char((unsigned char)p[-1])) &&
		    strncmp(p + 2, name, n) == 0 &&
		    !name_char((unsigned char)p[2 + n]))
			return 1;
	return 0;
}

static void
every_option_in_help(const struct cli *c)
{
	const struct cli_opts *t = c->table();
	char *help = help_of(c);
	char flag[4];
	size_t i;

	assert_true(t->nb_opt > 0);
	for (i = 0; i < t->nb_opt; i++) {
		if (!mentions(help, t->opt[i].name))
			fail_msg("%s --help does not list --%s", c->prog,
				t->opt[i].name);
		if (t->opt[i].short_name != 0) {
			(void)snprintf(flag, sizeof(flag), "-%c,",
				t->opt[i].short_name);
			assert_non_null(strstr(help, flag));
		}
		if (c->unknown(t->opt[i].name))
			fail_msg("%s refuses --%s of its own table", c->prog,
				t->opt[i].name);
	}
	free(help);
}

static void
every_help_option_parsed(const struct cli *c)
{
	char *help = help_of(c), name[NAME_MAX_LEN];
	const char *p;
	unsigned int seen = 0;

	for (p = strstr(help, "--"); p != NULL; p = strstr(p + 2, "--")) {
		size_t n = 0;

		if ((p != help && name_char((unsigned char)p[-1])) ||
		    !isalpha((unsigned char)p[2]))
			continue;
		while (name_char((unsigned char)p[2 + n]) &&
		       n + 1 < sizeof(name)) {
			name[n] = p[2 + n];
			n++;
		}
		name[n] = '\0';
		seen++;
		if (strcmp(name, "help") == 0)
			continue;
		if (c->unknown(name))
			fail_msg("%s --help mentions --%s, which its parser "
				"refuses", c->prog, name);
	}
	assert_true(seen > 0);
	free(help);
}

static void
test_gen_help_lists_table(void **state)
{
	(void)state;
	every_option_in_help(&clis[0]);
}

static void
test_gen_help_options_parse(void **state)
{
	(void)state;
	every_help_option_parsed(&clis[0]);
}

static void
test_sink_help_lists_table(void **state)
{
	(void)state;
	every_option_in_help(&clis[1]);
}

static void
test_sink_help_options_parse(void **state)
{
	(void)state;
	every_help_option_parsed(&clis[1]);
}

/* The checks above can fail: an option neither CLI has is refused as
 * unknown, and a help text without it does not mention it. */
static void
test_unknown_refused(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(clis) / sizeof(clis[0]); i++) {
		char *help = help_of(&clis[i]);

		assert_true(clis[i].unknown("no-such-option"));
		assert_false(mentions(help, "no-such-option"));
		/* A prefix of an option is not the option. */
		assert_false(mentions(help, "dur"));
		free(help);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_help_lists_table),
		cmocka_unit_test(test_gen_help_options_parse),
		cmocka_unit_test(test_sink_help_lists_table),
		cmocka_unit_test(test_sink_help_options_parse),
		cmocka_unit_test(test_unknown_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
